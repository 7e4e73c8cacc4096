import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { http, ok } from '../../api/http';
import { useInvalidate } from '../../api/query';
import type { components } from '../../api/schema';
import type { CareerStage, Profession, Resource } from '../../api/types';
import { CheckboxGroup } from '../../components/CheckboxGroup';
import {
  apiErrors,
  Button,
  ErrorSummary,
  errorFor,
  Select,
  Textarea,
  TextInput,
  type FieldError,
} from '../../components/forms';
import { formatDate, PROFESSIONS, STAGES } from '../../components/labels';
import { Async, Breadcrumbs, PageHeading, useAsync } from '../../components/ui';
import { useCommunity } from '../communities/community';
import { parseTags } from './format';

const FIELD_IDS = {
  title: 'title',
  description: 'description',
  tags: 'tags',
  professions: 'professions',
  careerStages: 'careerStages',
  eventId: 'eventId',
};

interface Values {
  title: string;
  description: string;
  tags: string;
  professions: Profession[];
  careerStages: CareerStage[];
  eventId: string;
}

/** Events a resource can belong to: the last year's and the coming ones, newest first. */
function useLinkableEvents(slug: string) {
  return useAsync(['/communities/*/events', slug, 'linkable'], async () => {
    const from = new Date(Date.now() - 366 * 86_400_000).toISOString();
    const page = await ok(
      http.GET('/api/v1/communities/{slug}/events', { params: { path: { slug }, query: { from, limit: 100 } } }),
    );
    return [...page.items].reverse();
  });
}

function EditForm({ slug, resource }: { slug: string; resource: Resource }) {
  const navigate = useNavigate();
  const events = useLinkableEvents(slug);
  const invalidate = useInvalidate();
  const save = useMutation({
    mutationFn: (body: components['schemas']['UpdateResourceDto']) =>
      ok(http.PATCH('/api/v1/resources/{id}', { params: { path: { id: resource.id } }, body })),
    onSuccess: () => invalidate(['/resources/*', resource.id], ['/communities/*/resources', slug]),
  });
  const [values, setValues] = useState<Values>({
    title: resource.title,
    description: resource.description,
    tags: resource.tags.join(', '),
    professions: resource.professions,
    careerStages: resource.careerStages,
    eventId: resource.eventId ?? '',
  });
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Values>) => setValues({ ...values, ...patch });

  const eventOptions: Record<string, string> = {};
  for (const e of events.data ?? []) eventOptions[e.id] = `${e.title} (${formatDate(e.startsAt)})`;
  if (values.eventId && !eventOptions[values.eventId]) eventOptions[values.eventId] = 'The event it is linked to now';

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: FieldError[] = [];
    if (!values.title.trim()) found.push({ field: 'title', message: 'Enter a title' });
    const tags = parseTags(values.tags);
    if (tags.some((t) => !/^[\p{L}\p{N}][\p{L}\p{N} -]*$/u.test(t) || t.length > 40)) {
      found.push({ field: 'tags', message: 'Tags may hold letters, digits, spaces and hyphens, up to 40 characters' });
    }
    setErrors(found);
    if (found.length) return;
    setBusy(true);
    try {
      await save.mutateAsync({
        title: values.title.trim(),
        description: values.description,
        tags,
        professions: values.professions,
        careerStages: values.careerStages,
        eventId: values.eventId || null,
      });
      navigate(`/resources/${resource.id}`, { state: { notice: 'Your changes have been saved.' } });
    } catch (error) {
      setErrors(apiErrors(error, FIELD_IDS, 'title'));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary errors={errors} />
      <TextInput
        id="title"
        label="Title"
        value={values.title}
        error={errorFor(errors, 'title')}
        onValue={(title) => set({ title })}
      />
      <Textarea
        id="description"
        label="Description (optional)"
        hint="You can use Markdown"
        value={values.description}
        error={errorFor(errors, 'description')}
        onValue={(description) => set({ description })}
      />
      <TextInput
        id="tags"
        label="Tags (optional)"
        hint="Separate tags with commas, for example: terms of reference, supervision"
        value={values.tags}
        error={errorFor(errors, 'tags')}
        onValue={(tags) => set({ tags })}
      />
      <CheckboxGroup
        id="professions"
        legend="Which professions is it for? (optional)"
        hint="Leave all unticked if it is for everyone"
        options={PROFESSIONS}
        value={values.professions}
        error={errorFor(errors, 'professions')}
        onValue={(professions) => set({ professions })}
      />
      <CheckboxGroup
        id="careerStages"
        legend="Which career stages is it for? (optional)"
        hint="Leave all unticked if it is for everyone"
        options={STAGES}
        value={values.careerStages}
        error={errorFor(errors, 'careerStages')}
        onValue={(careerStages) => set({ careerStages })}
      />
      <Select
        id="eventId"
        label="Event it belongs to (optional)"
        hint="For agendas, slides and notes of an event"
        placeholder="Not linked to an event"
        options={eventOptions}
        value={values.eventId}
        error={errorFor(errors, 'eventId')}
        onValue={(eventId) => set({ eventId })}
      />
      <div className="cophub-actions">
        <Button busy={busy}>Save changes</Button>
        <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={() => navigate(-1)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** `/c/:slug/resources/:id/edit`: a contributor changes a resource's details (not its file). */
export function ResourceEditPage() {
  const { slug, standing } = useCommunity();
  const { id = '' } = useParams();
  const resource = useAsync(['/resources/*', id], () =>
    ok(http.GET('/api/v1/resources/{id}', { params: { path: { id } } })),
  );
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <Breadcrumbs
          items={[
            { to: `/c/${slug}`, label: standing.data?.community.name ?? 'Community' },
            { to: `/c/${slug}/resources`, label: 'Resources' },
            { to: `/resources/${id}`, label: resource.data?.title ?? 'Resource' },
          ]}
        />
        <PageHeading caption={resource.data?.title}>Edit resource details</PageHeading>
        <Async state={resource} what="Loading resource">
          {(data) => <EditForm key={data.updatedAt} slug={slug} resource={data} />}
        </Async>
      </div>
    </div>
  );
}
