import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { http, multipart, ok, withProgress, type FormOf } from '../../api/http';
import { useInvalidate } from '../../api/query';
import {
  apiErrors,
  Button,
  ErrorSummary,
  errorFor,
  Radios,
  Textarea,
  TextInput,
  type FieldError,
} from '../../components/forms';
import { Breadcrumbs, PageHeading } from '../../components/ui';
import { useCommunity } from '../communities/community';
import { parseTags } from './format';
import { UploadField } from './UploadField';

type ResourceFields = Parameters<typeof multipart<FormOf<'/api/v1/communities/{slug}/resources'>>>[0];

const FIELD_IDS = { title: 'title', description: 'description', tags: 'tags', file: 'file', url: 'url' };

export function ResourceFormPage() {
  const { slug, standing } = useCommunity();
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [tags, setTags] = useState('');
  const [source, setSource] = useState<'file' | 'link'>('file');
  const [file, setFile] = useState<File | null>(null);
  const [url, setUrl] = useState('');
  const [progress, setProgress] = useState<number | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const invalidate = useInvalidate();
  const create = useMutation({
    mutationFn: (fields: ResourceFields) =>
      ok(
        http.POST('/api/v1/communities/{slug}/resources', {
          params: { path: { slug } },
          ...multipart<FormOf<'/api/v1/communities/{slug}/resources'>>(fields),
          fetch: withProgress(setProgress),
        }),
      ),
    onSuccess: () => invalidate(['/communities/*/resources', slug]),
  });

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: FieldError[] = [];
    if (title.trim().length < 3) found.push({ field: 'title', message: 'Enter a title of at least 3 characters' });
    if (source === 'file' && !file) found.push({ field: 'file', message: 'Choose a file to upload' });
    if (source === 'link' && !/^https:\/\/\S+$/.test(url)) {
      found.push({ field: 'url', message: 'Enter a link starting with https://' });
    }
    setErrors(found);
    if (found.length) return;
    setProgress(0);
    try {
      // Text fields first: the server reads the form as a stream.
      const created = await create.mutateAsync({
        title: title.trim(),
        ...(description ? { description } : {}),
        tags: parseTags(tags),
        ...(source === 'link' ? { url: url.trim() } : { file: file! }),
      });
      navigate(`/resources/${created.id}`);
    } catch (error) {
      setProgress(null);
      setErrors(apiErrors(error, FIELD_IDS, source === 'file' ? 'file' : 'url'));
    }
  }

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <Breadcrumbs
          items={[
            { to: `/c/${slug}`, label: standing.data?.community.name ?? 'Community' },
            { to: `/c/${slug}/resources`, label: 'Resources' },
          ]}
        />
        <ErrorSummary errors={errors} />
        <PageHeading>Add a resource</PageHeading>
        <form onSubmit={submit} noValidate>
          <TextInput id="title" label="Title" value={title} error={errorFor(errors, 'title')} onValue={setTitle} />
          <Textarea
            id="description"
            label="Description (optional)"
            hint="You can use Markdown"
            value={description}
            error={errorFor(errors, 'description')}
            onValue={setDescription}
          />
          <TextInput
            id="tags"
            label="Tags (optional)"
            hint="Separate tags with commas, for example: terms of reference, supervision"
            value={tags}
            error={errorFor(errors, 'tags')}
            onValue={setTags}
          />
          <Radios
            name="source"
            legend="Is it a file or a link?"
            options={{ file: 'A file (PDF, Word, PowerPoint, Excel, image or text)', link: 'A link to a web page' }}
            value={source}
            onValue={(v) => setSource(v as 'file' | 'link')}
          />
          {source === 'file' ? (
            <UploadField
              id="file"
              label="File"
              hint="Up to 25 MB"
              error={errorFor(errors, 'file')}
              onFile={setFile}
              progress={progress}
            />
          ) : (
            <TextInput id="url" type="url" label="Link" value={url} error={errorFor(errors, 'url')} onValue={setUrl} />
          )}
          <Button busy={progress !== null}>Add resource</Button>
        </form>
      </div>
    </div>
  );
}
