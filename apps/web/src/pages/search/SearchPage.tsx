import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { http, ok } from '../../api/http';
import type { SearchKind } from '../../api/types';
import { useAuth } from '../../auth/auth';
import { formatDate } from '../../components/labels';
import { Breadcrumbs, ErrorPanel, Loading, PageHeading, Tag } from '../../components/ui';

export const KIND_LABELS: Record<SearchKind, string> = {
  thread: 'Forum thread',
  post: 'Forum post',
  event: 'Event',
  resource: 'Resource',
  poll: 'Poll',
  page: 'Page',
};

/**
 * The API escapes snippets and adds only <mark>; anything else that looks like a tag is dropped here
 * too, so a snippet can never carry markup into the page.
 */
export function safeSnippet(snippet: string): string {
  return snippet.replace(/<(?!\/?mark>)[^>]*>/g, '');
}

/** `/search` with no community: go to the first community the person belongs to. */
export function SearchRedirect() {
  const { me } = useAuth();
  if (!me) return <Loading />;
  const first = me.memberships.find((m) => m.status === 'approved');
  if (!first) {
    return (
      <>
        <PageHeading>Search</PageHeading>
        <p>
          Join a community to search its forum, events, resources and polls. <Link to="/communities">Find one</Link>.
        </p>
      </>
    );
  }
  return <Navigate to={`/c/${first.slug}/search`} replace />;
}

export function SearchPage() {
  const { slug = '' } = useParams();
  const { me } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const kind = (params.get('kind') ?? '') as SearchKind | '';
  const [text, setText] = useState(q);
  const communities = me?.memberships.filter((m) => m.status === 'approved') ?? [];
  const name = communities.find((m) => m.slug === slug)?.name ?? 'this community';

  const [searched, setSearched] = useState(q);
  if (searched !== q) {
    // The query in the address changed (back button, a link): show it in the box.
    setSearched(q);
    setText(q);
  }
  const search = useQuery({
    queryKey: ['search', slug, q, kind],
    queryFn: () =>
      ok(
        http.GET('/api/v1/communities/{slug}/search', {
          params: { path: { slug }, query: { q, limit: 20, ...(kind ? { kinds: [kind] } : {}) } },
        }),
      ),
    enabled: q.trim() !== '',
  });
  const results = q.trim() ? (search.data ?? null) : null;
  const loading = search.isFetching;
  const error = search.error;

  function submit(event: FormEvent) {
    event.preventDefault();
    const next = new URLSearchParams(params);
    next.set('q', text.trim());
    setParams(next);
  }

  return (
    <>
      <Breadcrumbs items={[{ to: `/c/${slug}`, label: name }]} />
      <PageHeading title={q ? `Search results for “${q}”` : 'Search'}>Search {name}</PageHeading>
      <form role="search" onSubmit={submit} className="nhsuk-u-margin-bottom-5">
        {communities.length > 1 && (
          <div className="nhsuk-form-group">
            <label className="nhsuk-label" htmlFor="search-community">
              Community
            </label>
            <select
              id="search-community"
              className="nhsuk-select"
              value={slug}
              onChange={(e) => navigate(`/c/${e.target.value}/search${q ? `?q=${encodeURIComponent(q)}` : ''}`)}
            >
              {communities.map((c) => (
                <option key={c.slug} value={c.slug}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="search-q">
            Search the forum, events, resources and polls
          </label>
          <div className="nhsuk-hint" id="search-q-hint">
            Use “quotes” for a phrase, OR between alternatives, and - before a word to leave it out
          </div>
          <input
            id="search-q"
            name="q"
            type="search"
            className="nhsuk-input"
            aria-describedby="search-q-hint"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="search-kind">
            Show
          </label>
          <select
            id="search-kind"
            className="nhsuk-select"
            value={kind}
            onChange={(e) => {
              const next = new URLSearchParams(params);
              if (e.target.value) next.set('kind', e.target.value);
              else next.delete('kind');
              setParams(next);
            }}
          >
            <option value="">Everything</option>
            {Object.entries(KIND_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}s
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="nhsuk-button">
          Search
        </button>
      </form>
      {error ? <ErrorPanel error={error} /> : null}
      {loading && <Loading what="Searching" />}
      {results && !loading && (
        <section aria-labelledby="results-heading">
          <div role="status">
            <h2 className="nhsuk-heading-m" id="results-heading">
              {results.items.length === 0
                ? `No results for “${q}”`
                : `${results.items.length}${results.nextCursor ? ' or more' : ''} ${
                    results.items.length === 1 && !results.nextCursor ? 'result' : 'results'
                  } for “${q}”`}
            </h2>
          </div>
          <ul className="nhsuk-list nhsuk-list--border">
            {results.items.map((hit) => (
              <li key={`${hit.kind}-${hit.id}`}>
                <Tag colour="white">{KIND_LABELS[hit.kind]}</Tag>{' '}
                <Link className="nhsuk-u-font-weight-bold" to={hit.url}>
                  {hit.title}
                </Link>
                <p
                  className="cophub-snippet nhsuk-u-margin-bottom-1"
                  dangerouslySetInnerHTML={{ __html: safeSnippet(hit.snippet) }}
                />
                <span className="nhsuk-body-s">{formatDate(hit.date)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
