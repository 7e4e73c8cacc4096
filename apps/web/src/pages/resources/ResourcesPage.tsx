import { Link, useSearchParams } from 'react-router-dom';
import { http, ok } from '../../api/http';
import { formatDate } from '../../components/labels';
import { Async, Breadcrumbs, PageHeading, Tag, useAsync } from '../../components/ui';
import { isCoChair, useCommunity } from '../communities/community';
import { describeType, formatBytes } from './format';

export function ResourcesPage() {
  const { slug, standing } = useCommunity();
  const [params, setParams] = useSearchParams();
  const tag = params.get('tag') ?? '';
  const archived = params.get('archived') === 'true';
  const list = useAsync(['/communities/*/resources', slug, tag, archived], () =>
    ok(
      http.GET('/api/v1/communities/{slug}/resources', {
        params: {
          path: { slug },
          query: { limit: 100, ...(tag ? { tag } : {}), ...(archived ? { archived: true } : {}) },
        },
      }),
    ),
  );
  const allTags = [...new Set(list.data?.items.flatMap((r) => r.tags) ?? [])].sort();
  const canUpload = (standing.data && isCoChair(standing.data)) || list.data?.items.some((r) => r.canContribute);

  return (
    <>
      <Breadcrumbs
        items={[
          { to: '/communities', label: 'Communities' },
          { to: `/c/${slug}`, label: standing.data?.community.name ?? 'Community' },
        ]}
      />
      <PageHeading caption={standing.data?.community.name}>{archived ? 'Archived resources' : 'Resources'}</PageHeading>
      <div className="cophub-actions nhsuk-u-margin-bottom-4">
        {canUpload && (
          <Link className="nhsuk-button" to={`/c/${slug}/resources/new`}>
            Add a resource
          </Link>
        )}
        <Link to={`/c/${slug}/search`}>Search everything in this community</Link>
        {standing.data && isCoChair(standing.data) && (
          <Link to={`/c/${slug}/resources/contributors`}>Choose who can add resources</Link>
        )}
      </div>
      <form
        className="nhsuk-u-margin-bottom-5"
        onSubmit={(e) => {
          e.preventDefault();
        }}
      >
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="tag-filter">
            Show resources tagged
          </label>
          <select
            id="tag-filter"
            className="nhsuk-select"
            value={tag}
            onChange={(e) => {
              const next = new URLSearchParams(params);
              if (e.target.value) next.set('tag', e.target.value);
              else next.delete('tag');
              setParams(next);
            }}
          >
            <option value="">Any tag</option>
            {[...new Set([...allTags, ...(tag ? [tag] : [])])].map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <Link to={archived ? `?` : `?archived=true`}>
          {archived ? 'Show current resources' : 'Show archived resources'}
        </Link>
      </form>
      <Async state={list} what="Loading resources">
        {(page) =>
          page.items.length === 0 ? (
            <p>No resources{tag ? ` tagged “${tag}”` : ''} yet.</p>
          ) : (
            <ul className="nhsuk-list nhsuk-list--border">
              {page.items.map((r) => (
                <li key={r.id}>
                  <h2 className="nhsuk-heading-s nhsuk-u-margin-bottom-1">
                    <Link to={`/resources/${r.id}`}>{r.title}</Link>
                  </h2>
                  <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">
                    {describeType(r.currentVersion?.mediaType ?? null)}
                    {r.currentVersion?.sizeBytes ? `, ${formatBytes(r.currentVersion.sizeBytes)}` : ''} · version{' '}
                    {r.currentVersionNo} · updated {formatDate(r.updatedAt)}
                  </p>
                  {r.tags.length > 0 && (
                    <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">
                      Tags:{' '}
                      {r.tags.map((t) => (
                        <span key={t}>
                          <Link to={`?tag=${encodeURIComponent(t)}`}>
                            <Tag colour="white">{t}</Tag>
                          </Link>{' '}
                        </span>
                      ))}
                    </p>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </Async>
    </>
  );
}
