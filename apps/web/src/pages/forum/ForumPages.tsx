import { useMutation } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { http, ok } from '../../api/http';
import { useInvalidate } from '../../api/query';
import { subscribe } from '../../api/realtime';
import type { Category, Flag, Thread } from '../../api/types';
import { apiErrors, Button, ErrorSummary, errorFor, TextInput, type FieldError } from '../../components/forms';
import { formatDateTime } from '../../components/labels';
import { Async, Breadcrumbs, ErrorPanel, Notice, PageHeading, Tag, useAsync } from '../../components/ui';
import { isCoChair, isModerator, useCommunity } from '../communities/community';
import { MarkdownEditor } from './Editor';
import { categoriesKey, fetchCategories, useCategoryWrites } from './forumWrites';

function UnreadTag({ count, what }: { count: number; what: string }) {
  if (!count) return null;
  return (
    <Tag colour="blue">
      {count} {what}
    </Tag>
  );
}

/** The community's categories, with how many threads in each have posts the member has not read. */
export function ForumPage() {
  const { slug, standing } = useCommunity();
  const categories = useAsync(categoriesKey(slug), () => fetchCategories(slug));
  const [notice, setNotice] = useState('');
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const invalidate = useInvalidate();
  const { create } = useCategoryWrites(slug);
  const readAll = useMutation({
    mutationFn: () =>
      ok(http.POST('/api/v1/communities/{slug}/forum/read-all', { params: { path: { slug } }, body: {} })),
    // Unread counts: the categories, the thread lists and the community's "what is new".
    onSuccess: () => invalidate(categoriesKey(slug), ['/communities/*/threads', slug], ['community', slug, 'overview']),
  });

  async function markAllRead() {
    const { count } = await readAll.mutateAsync();
    setNotice(`Marked ${count} ${count === 1 ? 'thread' : 'threads'} as read.`);
  }

  async function addCategory(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) {
      setErrors([{ field: 'category-name', message: 'Enter a name for the category' }]);
      return;
    }
    try {
      await create.mutateAsync(name.trim());
      setErrors([]);
      setName('');
      setNotice('Category added.');
    } catch (error) {
      setErrors(apiErrors(error, { name: 'category-name' }, 'category-name'));
    }
  }

  return (
    <>
      <Breadcrumbs
        items={[
          { to: '/communities', label: 'Communities' },
          { to: `/c/${slug}`, label: standing.data?.community.name ?? 'Community' },
        ]}
      />
      <PageHeading caption={standing.data?.community.name}>Forum</PageHeading>
      <div className="cophub-actions nhsuk-u-margin-bottom-4">
        <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={() => void markAllRead()}>
          Mark everything as read
        </button>
        <Link to={`/c/${slug}/latest`}>Latest across all categories</Link>
        <Link to={`/c/${slug}/bookmarks`}>Your bookmarks</Link>
        {standing.data && isModerator(standing.data) && <Link to={`/c/${slug}/moderation`}>Moderation queue</Link>}
        {standing.data && isCoChair(standing.data) && (
          <>
            <Link to={`/c/${slug}/forum/categories`}>Manage categories</Link>
            <Link to={`/c/${slug}/announcements/new`}>Send an announcement</Link>
          </>
        )}
      </div>
      <Notice>{notice}</Notice>
      <Async state={categories} what="Loading the forum">
        {(items) =>
          items.length === 0 ? (
            <p>There are no categories yet.</p>
          ) : (
            <ul className="nhsuk-list nhsuk-list--border">
              {items.map((c) => (
                <li key={c.id}>
                  <h2 className="nhsuk-heading-s nhsuk-u-margin-bottom-1">
                    <Link to={`/c/${slug}/forum/${c.id}`}>{c.name}</Link>{' '}
                    <UnreadTag
                      count={c.unreadThreadCount}
                      what={c.unreadThreadCount === 1 ? 'unread thread' : 'unread threads'}
                    />
                  </h2>
                  {c.description && <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">{c.description}</p>}
                  <span className="nhsuk-body-s">
                    {c.threadCount} {c.threadCount === 1 ? 'thread' : 'threads'}
                    {c.postPolicy === 'co_chairs' ? ' · announcements from co-chairs' : ''}
                  </span>
                </li>
              ))}
            </ul>
          )
        }
      </Async>
      {standing.data && isCoChair(standing.data) && (
        <form onSubmit={addCategory} noValidate className="nhsuk-u-margin-top-6">
          <h2 className="nhsuk-heading-m">Add a category</h2>
          <ErrorSummary errors={errors} />
          <TextInput
            id="category-name"
            label="Category name"
            value={name}
            error={errorFor(errors, 'category-name')}
            onValue={setName}
          />
          <Button variant="secondary">Add category</Button>
        </form>
      )}
    </>
  );
}

/** Threads, newest activity first, each with its unread count and a link to the first unread post. */
function ThreadList({ slug, threads, categories }: { slug: string; threads: Thread[]; categories?: Category[] }) {
  return (
    <ul className="nhsuk-list nhsuk-list--border">
      {threads.map((t) => (
        <li key={t.id}>
          {t.pinned && <Tag colour="purple">Pinned</Tag>} {t.locked && <Tag colour="grey">Locked</Tag>}{' '}
          <Link
            className="nhsuk-u-font-weight-bold"
            to={`/c/${slug}/t/${t.id}${t.firstUnreadPostNumber && t.lastReadPostNumber ? `/${t.firstUnreadPostNumber}` : ''}`}
          >
            {t.title}
          </Link>{' '}
          <UnreadTag count={t.unreadCount} what="unread" />
          <br />
          <span className="nhsuk-body-s">
            {categories && <>In {categories.find((c) => c.id === t.categoryId)?.name ?? 'a category'} · </>}
            Started by {t.author.displayName} · {t.postCount} {t.postCount === 1 ? 'post' : 'posts'} · last post{' '}
            {formatDateTime(t.lastPostAt)}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** "Latest": the newest activity across every category, so a member need not open each one. */
export function LatestPage() {
  const { slug, standing } = useCommunity();
  const categories = useAsync(categoriesKey(slug), () => fetchCategories(slug));
  const threads = useAsync(['/communities/*/threads', slug, 'latest'], () =>
    ok(http.GET('/api/v1/communities/{slug}/threads', { params: { path: { slug }, query: { limit: 50 } } })),
  );
  return (
    <>
      <Breadcrumbs
        items={[
          { to: `/c/${slug}`, label: standing.data?.community.name ?? 'Community' },
          { to: `/c/${slug}/forum`, label: 'Forum' },
        ]}
      />
      <PageHeading caption="Forum">Latest</PageHeading>
      <Async state={threads} what="Loading threads">
        {(page) =>
          page.items.length === 0 ? (
            <p>No threads yet.</p>
          ) : (
            <ThreadList slug={slug} threads={page.items} categories={categories.data ?? []} />
          )
        }
      </Async>
    </>
  );
}

/** Threads in a category, newest activity first, pinned on top, and the form to start one. */
export function CategoryPage() {
  const { slug, standing } = useCommunity();
  const { categoryId = '' } = useParams();
  const navigate = useNavigate();
  const categories = useAsync(categoriesKey(slug), () => fetchCategories(slug));
  const threads = useAsync(['/communities/*/threads', slug, categoryId], () =>
    ok(
      http.GET('/api/v1/communities/{slug}/threads', { params: { path: { slug }, query: { categoryId, limit: 50 } } }),
    ),
  );
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const category = categories.data?.find((c) => c.id === categoryId);
  const invalidate = useInvalidate();
  const startThread = useMutation({
    mutationFn: (body: { categoryId: string; title: string; body: string }) =>
      ok(http.POST('/api/v1/communities/{slug}/threads', { params: { path: { slug } }, body })),
    onSuccess: () => invalidate(['/communities/*/threads', slug], categoriesKey(slug)),
  });

  useEffect(
    () =>
      subscribe(`category:${categoryId}`, {
        'thread.created': () => void threads.reload(),
        'thread.updated': () => void threads.reload(),
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [categoryId],
  );

  async function start(event: FormEvent) {
    event.preventDefault();
    const found: FieldError[] = [];
    if (!title.trim()) found.push({ field: 'thread-title', message: 'Enter a title' });
    if (!body.trim()) found.push({ field: 'thread-body', message: 'Write your first post' });
    setErrors(found);
    if (found.length) return;
    setBusy(true);
    try {
      const thread = await startThread.mutateAsync({
        categoryId,
        title: title.trim(),
        body,
      });
      navigate(`/c/${slug}/t/${thread.id}`);
    } catch (error) {
      setErrors(apiErrors(error, { title: 'thread-title', body: 'thread-body' }, 'thread-title'));
      setBusy(false);
    }
  }

  const canStart = category && (category.postPolicy === 'members' || (standing.data && isCoChair(standing.data)));
  return (
    <>
      <Breadcrumbs
        items={[
          { to: `/c/${slug}`, label: standing.data?.community.name ?? 'Community' },
          { to: `/c/${slug}/forum`, label: 'Forum' },
        ]}
      />
      <PageHeading caption="Forum">{category?.name ?? 'Category'}</PageHeading>
      {category?.description && <p className="nhsuk-lede-text">{category.description}</p>}
      <Async state={threads} what="Loading threads">
        {(page) =>
          page.items.length === 0 ? (
            <p>No threads yet. Start the first one below.</p>
          ) : (
            <ThreadList slug={slug} threads={page.items} />
          )
        }
      </Async>
      {canStart && (
        <form onSubmit={start} noValidate className="nhsuk-u-margin-top-6">
          <h2 className="nhsuk-heading-m">Start a new thread</h2>
          <ErrorSummary errors={errors} />
          <TextInput
            id="thread-title"
            label="Title"
            value={title}
            error={errorFor(errors, 'thread-title')}
            onValue={setTitle}
          />
          <MarkdownEditor
            id="thread-body"
            label="Your post"
            hint="You can use Markdown. Type @ and a name to mention someone."
            slug={slug}
            value={body}
            error={errorFor(errors, 'thread-body')}
            onValue={setBody}
          />
          <Button busy={busy}>Post thread</Button>
        </form>
      )}
    </>
  );
}

/** Open flags for moderators and co-chairs: dismiss, or hide the post. */
export function ModerationPage() {
  const { slug, standing } = useCommunity();
  const flags = useAsync(['/communities/*/moderation/flags', slug], () =>
    ok(
      http.GET('/api/v1/communities/{slug}/moderation/flags', {
        params: { path: { slug }, query: { status: 'open' } },
      }),
    ),
  );
  const invalidate = useInvalidate();
  const resolution = useMutation({
    mutationFn: ({ flagId, action }: { flagId: string; action: 'dismiss' | 'hide' }) =>
      ok(
        http.POST('/api/v1/communities/{slug}/moderation/flags/{flagId}/resolve', {
          params: { path: { slug, flagId } },
          body: { action },
        }),
      ),
    onSuccess: () => invalidate(['/communities/*/moderation/flags', slug]),
  });
  const [notice, setNotice] = useState('');
  const [problem, setProblem] = useState<unknown>(null);

  async function resolve(flag: Flag, action: 'dismiss' | 'hide') {
    try {
      await resolution.mutateAsync({ flagId: flag.id, action });
      setNotice(action === 'hide' ? 'The post is hidden.' : 'The flag was dismissed.');
    } catch (error) {
      setProblem(error);
    }
  }

  return (
    <>
      <Breadcrumbs
        items={[
          { to: `/c/${slug}`, label: standing.data?.community.name ?? 'Community' },
          { to: `/c/${slug}/forum`, label: 'Forum' },
        ]}
      />
      <PageHeading caption={standing.data?.community.name}>Moderation queue</PageHeading>
      <Notice>{notice}</Notice>
      {problem ? <ErrorPanel error={problem} /> : null}
      <Async state={flags} what="Loading flags">
        {(page) =>
          page.items.length === 0 ? (
            <p>Nothing to review.</p>
          ) : (
            <ul className="nhsuk-list">
              {page.items.map((f) => (
                <li key={f.id}>
                  <div className="nhsuk-card">
                    <div className="nhsuk-card__content">
                      <h2 className="nhsuk-card__heading nhsuk-heading-s">
                        <Link to={f.url}>
                          {f.threadTitle}, post #{f.postNumber}
                        </Link>
                      </h2>
                      <p className="nhsuk-body-s">
                        Reported by {f.reporter.displayName} on {formatDateTime(f.createdAt)}
                      </p>
                      <p>
                        <strong>Reason:</strong> {f.reason}
                      </p>
                      <p>
                        <strong>Post begins:</strong> {f.excerpt}
                      </p>
                      <div className="nhsuk-inset-text cophub-prose" dangerouslySetInnerHTML={{ __html: f.postHtml }} />
                      <div className="cophub-actions">
                        <button
                          type="button"
                          className="nhsuk-button nhsuk-button--warning"
                          onClick={() => void resolve(f, 'hide')}
                        >
                          Hide post<span className="nhsuk-u-visually-hidden"> #{f.postNumber}</span>
                        </button>
                        <button
                          type="button"
                          className="nhsuk-button nhsuk-button--secondary"
                          onClick={() => void resolve(f, 'dismiss')}
                        >
                          Dismiss flag<span className="nhsuk-u-visually-hidden"> on post #{f.postNumber}</span>
                        </button>
                      </div>
                    </div>
                  </div>
                </li>
              ))}
            </ul>
          )
        }
      </Async>
    </>
  );
}

export function BookmarksPage() {
  const { slug, standing } = useCommunity();
  const bookmarks = useAsync(['/communities/*/bookmarks', slug], () =>
    ok(http.GET('/api/v1/communities/{slug}/bookmarks', { params: { path: { slug }, query: { limit: 50 } } })),
  );
  return (
    <>
      <Breadcrumbs
        items={[
          { to: `/c/${slug}`, label: standing.data?.community.name ?? 'Community' },
          { to: `/c/${slug}/forum`, label: 'Forum' },
        ]}
      />
      <PageHeading>Your bookmarks</PageHeading>
      <Async state={bookmarks} what="Loading bookmarks">
        {(page) =>
          page.items.length === 0 ? (
            <p>You have not bookmarked any posts.</p>
          ) : (
            <ul className="nhsuk-list nhsuk-list--border">
              {page.items.map((b) => (
                <li key={b.postId}>
                  <Link to={`/c/${slug}/t/${b.threadId}/${b.postNumber}`}>
                    {b.threadTitle}, post #{b.postNumber}
                  </Link>
                  <p className="nhsuk-body-s">{b.excerpt}</p>
                </li>
              ))}
            </ul>
          )
        }
      </Async>
    </>
  );
}
