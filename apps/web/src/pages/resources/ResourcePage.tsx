import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import { download, http, multipart, ok, withProgress, type FormOf } from '../../api/http';
import { useInvalidate } from '../../api/query';
import type { Resource, ResourceVersion } from '../../api/types';
import { apiErrors, Button, ErrorSummary, errorFor, type FieldError } from '../../components/forms';
import { formatDate } from '../../components/labels';
import { Async, ErrorPanel, Notice, PageHeading, SummaryList, Tag, useAsync } from '../../components/ui';
import { ItemCommunityNav } from '../communities/CommunityNav';
import { describeType, formatBytes } from './format';
import { UploadField } from './UploadField';

function DownloadButton({ resource, version }: { resource: Resource; version: ResourceVersion }) {
  const [problem, setProblem] = useState<unknown>(null);
  if (version.kind === 'link' && version.url) {
    return (
      <a href={version.url} rel="noopener noreferrer" target="_blank">
        Open link<span className="nhsuk-u-visually-hidden"> for version {version.versionNo}</span> (opens in a new tab)
      </a>
    );
  }
  return (
    <>
      {problem ? <ErrorPanel error={problem} /> : null}
      <button
        type="button"
        className="cophub-link-button"
        onClick={() =>
          void download(
            http.GET('/api/v1/resources/{id}/versions/{n}/download', {
              params: { path: { id: resource.id, n: version.versionNo } },
              parseAs: 'blob',
            }),
            version.fileName,
          ).catch(setProblem)
        }
      >
        Download<span className="nhsuk-u-visually-hidden"> version {version.versionNo}</span>
      </button>
    </>
  );
}

/** A resource and the lists that show it, refetched after a change. */
function useRefreshResource(resource: Resource) {
  const invalidate = useInvalidate();
  return () => invalidate(['/resources/*', resource.id], ['/communities/*/resources']);
}

function NewVersion({ resource }: { resource: Resource }) {
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const upload = useMutation({
    mutationFn: (file: File) =>
      ok(
        http.POST('/api/v1/resources/{id}/versions', {
          params: { path: { id: resource.id } },
          ...multipart<FormOf<'/api/v1/resources/{id}/versions'>>({ file }),
          fetch: withProgress(setProgress),
        }),
      ),
    onSuccess: useRefreshResource(resource),
  });
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState('');
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!file) {
      setErrors([{ field: 'version-file', message: 'Choose a file to upload' }]);
      return;
    }
    setErrors([]);
    setProgress(0);
    try {
      const updated = await upload.mutateAsync(file);
      setNotice(`Version ${updated.currentVersionNo} uploaded. It is now the current version.`);
    } catch (error) {
      setErrors(apiErrors(error, { file: 'version-file' }, 'version-file'));
    } finally {
      setProgress(null);
    }
  }
  return (
    <form onSubmit={submit} noValidate aria-labelledby="new-version-heading">
      <h2 className="nhsuk-heading-m" id="new-version-heading">
        Upload a new version
      </h2>
      <ErrorSummary errors={errors} />
      <Notice>{notice}</Notice>
      <UploadField
        id="version-file"
        label="New version"
        hint="Earlier versions are kept"
        error={errorFor(errors, 'version-file')}
        onFile={setFile}
        progress={progress}
      />
      <Button variant="secondary" busy={progress !== null}>
        Upload new version
      </Button>
    </form>
  );
}

export function ResourcePage() {
  const { id = '' } = useParams();
  const state = useAsync(['/resources/*', id], () =>
    ok(http.GET('/api/v1/resources/{id}', { params: { path: { id } } })),
  );
  const invalidate = useInvalidate();
  const archive = useMutation({
    mutationFn: (resource: Resource) => {
      const params = { params: { path: { id: resource.id } } };
      return ok(
        resource.archivedAt
          ? http.POST('/api/v1/resources/{id}/restore', params)
          : http.POST('/api/v1/resources/{id}/archive', params),
      );
    },
    onSuccess: () => invalidate(['/resources/*', id], ['/communities/*/resources']),
  });
  // The edit page comes back here with what it did.
  const arrived = (useLocation().state as { notice?: string } | null)?.notice ?? '';
  const [notice, setNotice] = useState(arrived);
  const [problem, setProblem] = useState<unknown>(null);

  async function toggleArchive(resource: Resource) {
    try {
      await archive.mutateAsync(resource);
      setNotice(resource.archivedAt ? 'The resource has been restored.' : 'The resource has been archived.');
    } catch (error) {
      setProblem(error);
    }
  }

  return (
    <Async state={state} what="Loading resource">
      {(resource) => {
        const current = resource.currentVersion;
        return (
          <>
            <ItemCommunityNav communityId={resource.communityId} tab="Resources" />
            <PageHeading caption="Resource">{resource.title}</PageHeading>
            {resource.archivedAt && (
              <div className="nhsuk-warning-callout">
                <h2 className="nhsuk-warning-callout__label">
                  <span role="text">
                    <span className="nhsuk-u-visually-hidden">Important: </span>Archived
                  </span>
                </h2>
                <p>This resource was archived on {formatDate(resource.archivedAt)}. It may be out of date.</p>
              </div>
            )}
            <Notice>{notice}</Notice>
            {problem ? <ErrorPanel error={problem} /> : null}
            {resource.descriptionHtml && (
              <div className="cophub-prose" dangerouslySetInnerHTML={{ __html: resource.descriptionHtml }} />
            )}
            <SummaryList
              rows={[
                [
                  'Current version',
                  current ? (
                    <>
                      Version {current.versionNo}: {current.fileName} ({describeType(current.mediaType)}
                      {current.sizeBytes ? `, ${formatBytes(current.sizeBytes)}` : ''})
                    </>
                  ) : (
                    'None'
                  ),
                  current ? <DownloadButton resource={resource} version={current} /> : '',
                ],
                [
                  'Tags',
                  resource.tags.length
                    ? resource.tags.map((t) => (
                        <Tag key={t} colour="white">
                          {t}
                        </Tag>
                      ))
                    : 'None',
                  '',
                ],
                ['Added', formatDate(resource.createdAt), ''],
                ...(resource.eventId
                  ? ([['Event', <Link to={`/events/${resource.eventId}`}>Go to the event</Link>, '']] as Array<
                      [string, React.ReactNode, React.ReactNode]
                    >)
                  : []),
              ]}
            />
            {current?.extractionStatus === 'pending' && (
              <p className="nhsuk-body-s">The text of this file is being read so that search can find it.</p>
            )}
            <h2 className="nhsuk-heading-m">Versions</h2>
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Every version, newest first</caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th className="nhsuk-table__header" scope="col">
                    Version
                  </th>
                  <th className="nhsuk-table__header" scope="col">
                    File
                  </th>
                  <th className="nhsuk-table__header" scope="col">
                    Added
                  </th>
                  <th className="nhsuk-table__header" scope="col">
                    <span className="nhsuk-u-visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {resource.versions.map((v) => (
                  <tr className="nhsuk-table__row" key={v.versionNo}>
                    <td className="nhsuk-table__cell">
                      {v.versionNo} {v.versionNo === resource.currentVersionNo && <Tag colour="green">Current</Tag>}
                    </td>
                    <td className="nhsuk-table__cell">
                      {v.fileName}
                      <br />
                      <span className="nhsuk-body-s">
                        {describeType(v.mediaType)}
                        {v.sizeBytes ? `, ${formatBytes(v.sizeBytes)}` : ''}
                      </span>
                    </td>
                    <td className="nhsuk-table__cell">{formatDate(v.createdAt)}</td>
                    <td className="nhsuk-table__cell">
                      <DownloadButton resource={resource} version={v} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {resource.canContribute && (
              <>
                <p>
                  <Link
                    className="nhsuk-button nhsuk-button--secondary"
                    to={`/c/${resource.communitySlug}/resources/${resource.id}/edit`}
                  >
                    Edit details<span className="nhsuk-u-visually-hidden"> of {resource.title}</span>
                  </Link>
                </p>
                {!resource.archivedAt && <NewVersion resource={resource} />}
                <h2 className="nhsuk-heading-m">Archive</h2>
                <button
                  type="button"
                  className={`nhsuk-button ${resource.archivedAt ? 'nhsuk-button--secondary' : 'nhsuk-button--warning'}`}
                  onClick={() => void toggleArchive(resource)}
                >
                  {resource.archivedAt ? 'Restore this resource' : 'Archive this resource'}
                </button>
              </>
            )}
          </>
        );
      }}
    </Async>
  );
}
