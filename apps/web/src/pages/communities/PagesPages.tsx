import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { http, ok } from '../../api/http';
import { keys, useInvalidate } from '../../api/query';
import type { components } from '../../api/schema';
import { apiErrors, Button, ErrorSummary, errorFor, Radios, TextInput, type FieldError } from '../../components/forms';
import { formatDateTime } from '../../components/labels';
import { Async, Breadcrumbs, PageHeading, Tag, useAsync } from '../../components/ui';
import { MarkdownEditor } from '../forum/Editor';

type PageView = components['schemas']['PageView'];
type Visibility = PageView['visibility'];

const VISIBILITY: Record<Visibility, string> = {
  members: 'Members only',
  public: 'Public: anyone can read it, including people who have not joined',
};

function pageParams(slug: string, pageSlug: string) {
  return { params: { path: { slug, pageSlug } } };
}

function usePage(slug: string, pageSlug: string) {
  return useAsync(keys.page(slug, pageSlug), () =>
    ok(http.GET('/api/v1/communities/{slug}/pages/{pageSlug}', pageParams(slug, pageSlug))),
  );
}

/** A community page: the sanitised HTML the server rendered, when it changed, and its history. */
export function CommunityPageView() {
  const { slug = '', pageSlug = '' } = useParams();
  const page = usePage(slug, pageSlug);
  return (
    <Async state={page} what="Loading the page">
      {(p) => (
        <>
          <Breadcrumbs items={[{ to: `/c/${slug}`, label: 'Overview' }]} />
          <PageHeading>{p.title}</PageHeading>
          <p className="nhsuk-body-s">
            {p.visibility === 'public' ? <Tag colour="blue">Public</Tag> : <Tag colour="grey">Members only</Tag>} Last
            updated {formatDateTime(p.updatedAt)} (revision {p.revision}).{' '}
            <Link to={`/c/${slug}/pages/${pageSlug}/history`}>
              See what changed<span className="nhsuk-u-visually-hidden"> in {p.title}</span>
            </Link>
          </p>
          {p.canEdit && (
            <p>
              <Link className="nhsuk-button nhsuk-button--secondary" to={`/c/${slug}/pages/${pageSlug}/edit`}>
                Edit this page
              </Link>
            </p>
          )}
          {/* Sanitised by the server's allow-list before it was stored. */}
          <div className="cophub-prose" dangerouslySetInnerHTML={{ __html: p.bodyHtml }} />
        </>
      )}
    </Async>
  );
}

/** Co-chairs write a page in Markdown; each save is a new revision (a stale save is refused, not lost). */
export function CommunityPageEdit() {
  const { slug = '', pageSlug } = useParams();
  const existing = useAsync(['page-edit', slug, pageSlug ?? ''], () =>
    pageSlug
      ? ok(http.GET('/api/v1/communities/{slug}/pages/{pageSlug}', pageParams(slug, pageSlug)))
      : Promise.resolve(null),
  );
  if (existing.loading) return <Async state={existing}>{() => null}</Async>;
  if (existing.error) return <Async state={existing}>{() => null}</Async>;
  return <PageForm slug={slug} page={existing.data} />;
}

function PageForm({ slug, page }: { slug: string; page: PageView | null }) {
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const save = useMutation({
    mutationFn: (input: { address: string; title: string; body: string; visibility: Visibility; note: string }) =>
      page
        ? ok(
            http.PUT('/api/v1/communities/{slug}/pages/{pageSlug}', {
              ...pageParams(slug, page.slug),
              body: {
                title: input.title,
                body: input.body,
                visibility: input.visibility,
                baseRevision: page.revision,
                note: input.note || undefined,
              },
            }),
          )
        : ok(
            http.POST('/api/v1/communities/{slug}/pages', {
              params: { path: { slug } },
              body: { slug: input.address, title: input.title, body: input.body, visibility: input.visibility },
            }),
          ),
    // The community's pages, the page and its history.
    onSuccess: () => invalidate(keys.community(slug)),
  });
  const [title, setTitle] = useState(page?.title ?? '');
  const [address, setAddress] = useState(page?.slug ?? '');
  const [body, setBody] = useState(page?.body ?? '');
  const [visibility, setVisibility] = useState<Visibility>(page?.visibility ?? 'members');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const fields = { title: 'page-title', slug: 'page-slug', body: 'page-body', note: 'page-note' };

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: FieldError[] = [];
    if (!title.trim()) found.push({ field: fields.title, message: 'Enter a title' });
    if (!page && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(address)) {
      found.push({ field: fields.slug, message: 'Enter an address of lower-case words joined by hyphens' });
    }
    if (!body.trim()) found.push({ field: fields.body, message: 'Write the page' });
    setErrors(found);
    if (found.length) return;
    setBusy(true);
    try {
      const saved = await save.mutateAsync({ address, title: title.trim(), body, visibility, note: note.trim() });
      navigate(`/c/${slug}/pages/${saved.slug}`);
    } catch (error) {
      setErrors(
        apiErrors(error, fields, fields.body, { page_stale_revision: fields.body, page_slug_taken: fields.slug }),
      );
    } finally {
      setBusy(false);
    }
  }

  const heading = page ? `Edit ${page.title}` : 'Add a page';
  return (
    <>
      <Breadcrumbs
        items={[{ to: page ? `/c/${slug}/pages/${page.slug}` : `/c/${slug}`, label: page?.title ?? 'Overview' }]}
      />
      <PageHeading>{heading}</PageHeading>
      <ErrorSummary errors={errors} />
      <form onSubmit={submit} noValidate>
        <TextInput
          id={fields.title}
          label="Title"
          value={title}
          onValue={setTitle}
          error={errorFor(errors, fields.title)}
        />
        {!page && (
          <TextInput
            id={fields.slug}
            label="Address"
            hint="Lower-case words joined by hyphens, for example terms-of-reference"
            value={address}
            onValue={setAddress}
            error={errorFor(errors, fields.slug)}
            width={20}
          />
        )}
        <Radios
          name="page-visibility"
          legend="Who can read it"
          options={VISIBILITY}
          value={visibility}
          onValue={(value) => setVisibility(value as Visibility)}
        />
        <MarkdownEditor
          id={fields.body}
          label="Page"
          hint="Markdown: # for headings, - for lists, **bold**"
          value={body}
          onValue={setBody}
          slug={slug}
          rows={16}
          error={errorFor(errors, fields.body)}
        />
        {page && (
          <TextInput
            id={fields.note}
            label="What you changed (optional)"
            hint="Shown in the page's history"
            value={note}
            onValue={setNote}
          />
        )}
        <Button busy={busy}>{page ? 'Save changes' : 'Add the page'}</Button>
      </form>
    </>
  );
}

/** The history of a page and, for a chosen revision, what changed from the one before it. */
export function CommunityPageHistory() {
  const { slug = '', pageSlug = '' } = useParams();
  const [params] = useSearchParams();
  const page = usePage(slug, pageSlug);
  const revisions = useAsync([...keys.page(slug, pageSlug), 'revisions'], () =>
    ok(http.GET('/api/v1/communities/{slug}/pages/{pageSlug}/revisions', pageParams(slug, pageSlug))),
  );
  const latest = revisions.data?.[0]?.revision ?? 0;
  const to = Number(params.get('to')) || latest;
  // An outsider may compare only revisions that were public when saved; members-only ones are withheld.
  const withheld = new Set((revisions.data ?? []).filter((r) => r.redacted).map((r) => r.revision));
  const comparable = (revision: number) => revision > 1 && !withheld.has(revision) && !withheld.has(revision - 1);
  return (
    <Async state={page} what="Loading the history">
      {(p) => (
        <>
          <Breadcrumbs items={[{ to: `/c/${slug}/pages/${pageSlug}`, label: p.title }]} />
          <PageHeading>{`History of ${p.title}`}</PageHeading>
          {revisions.data && comparable(to) && <Diff slug={slug} pageSlug={pageSlug} from={to - 1} to={to} />}
          <h2 className="nhsuk-heading-m">Revisions</h2>
          <Async state={revisions} what="Loading revisions">
            {(list) => (
              <table className="nhsuk-table">
                <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Revisions, newest first</caption>
                <thead className="nhsuk-table__head">
                  <tr className="nhsuk-table__row">
                    <th scope="col" className="nhsuk-table__header">
                      Revision
                    </th>
                    <th scope="col" className="nhsuk-table__header">
                      Saved
                    </th>
                    <th scope="col" className="nhsuk-table__header">
                      By
                    </th>
                    <th scope="col" className="nhsuk-table__header">
                      Note
                    </th>
                  </tr>
                </thead>
                <tbody className="nhsuk-table__body">
                  {list.map((r) => (
                    <tr className="nhsuk-table__row" key={r.revision}>
                      <td className="nhsuk-table__cell">
                        {comparable(r.revision) && r.revision !== to ? (
                          <Link to={`?to=${r.revision}`}>
                            {r.revision}
                            <span className="nhsuk-u-visually-hidden"> (show changes)</span>
                          </Link>
                        ) : (
                          r.revision
                        )}
                      </td>
                      <td className="nhsuk-table__cell">{formatDateTime(r.createdAt)}</td>
                      <td className="nhsuk-table__cell">
                        {r.redacted ? 'Members only' : (r.editorName ?? 'A former member')}
                      </td>
                      <td className="nhsuk-table__cell">{r.redacted ? '—' : r.note || '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Async>
        </>
      )}
    </Async>
  );
}

function Diff({ slug, pageSlug, from, to }: { slug: string; pageSlug: string; from: number; to: number }) {
  const diff = useAsync([...keys.page(slug, pageSlug), 'diff', from, to], () =>
    ok(
      http.GET('/api/v1/communities/{slug}/pages/{pageSlug}/diff', {
        params: { path: { slug, pageSlug }, query: { from, to } },
      }),
    ),
  );
  return (
    <section aria-labelledby="diff-heading">
      <h2 className="nhsuk-heading-m" id="diff-heading">
        Changes in revision {to}
      </h2>
      <Async state={diff} what="Comparing revisions">
        {(d) => {
          const changed = d.lines.filter((l) => l.kind !== 'same').length;
          return (
            <>
              {d.titleBefore !== d.titleAfter && (
                <p>
                  Title changed from “{d.titleBefore}” to “{d.titleAfter}”.
                </p>
              )}
              <p>
                {changed === 0 ? 'The text did not change.' : `${changed} ${changed === 1 ? 'line' : 'lines'} changed.`}{' '}
                Removed lines are marked “Removed” and struck through; added lines are marked “Added”.
              </p>
              <ol className="cophub-diff" aria-label={`Changes from revision ${from} to ${to}`}>
                {d.lines.map((line, i) =>
                  line.kind === 'same' ? (
                    <li key={i} className="cophub-diff__same">
                      {line.text || '\u00a0'}
                    </li>
                  ) : line.kind === 'removed' ? (
                    <li key={i} className="cophub-diff__removed">
                      <span className="cophub-diff__label">Removed: </span>
                      <del>{line.text || '\u00a0'}</del>
                    </li>
                  ) : (
                    <li key={i} className="cophub-diff__added">
                      <span className="cophub-diff__label">Added: </span>
                      <ins>{line.text || '\u00a0'}</ins>
                    </li>
                  ),
                )}
              </ol>
            </>
          );
        }}
      </Async>
    </section>
  );
}
