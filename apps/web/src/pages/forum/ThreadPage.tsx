import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useBlocker, useLocation, useParams } from 'react-router-dom';
import { api, seg } from '../../api/client';
import { subscribe } from '../../api/realtime';
import type { Category, Page, Post, ReactionKind, Thread } from '../../api/types';
import { useAuth } from '../../auth/auth';
import { apiErrors, Button, ErrorSummary, errorFor, TextInput, type FieldError } from '../../components/forms';
import { formatDateTime } from '../../components/labels';
import { useMentionCards } from '../../components/ProfileCard';
import { Breadcrumbs, ErrorPanel, Loading, Notice, PageHeading, Tag, useAsync } from '../../components/ui';
import { isModerator, useCommunity } from '../communities/community';
import { MarkdownEditor } from './Editor';
import { MoveThread } from './MoveThread';

const REACTIONS: Record<ReactionKind, string> = {
  like: 'Like',
  thanks: 'Thanks',
  insightful: 'Insightful',
  support: 'Support',
};

function FlagForm({ post, onDone }: { post: Post; onDone: (message: string) => void }) {
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const id = `flag-${post.id}`;
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!reason.trim()) {
      setErrors([{ field: id, message: 'Say why this post needs a moderator' }]);
      return;
    }
    try {
      await api.post(`/posts/${post.id}/flags`, { reason: reason.trim() });
      onDone('Thank you. A moderator will look at this post.');
    } catch (error) {
      setErrors(apiErrors(error, { reason: id }, id));
    }
  }
  return (
    <form onSubmit={submit} noValidate className="nhsuk-u-margin-top-3">
      <ErrorSummary errors={errors} />
      <TextInput
        id={id}
        label={`Why should a moderator look at post #${post.postNumber}?`}
        value={reason}
        error={errorFor(errors, id)}
        onValue={setReason}
      />
      <Button variant="secondary">Send to moderators</Button>
    </form>
  );
}

function PostItem({
  post,
  slug,
  moderator,
  mine,
  highlighted,
  onChanged,
  onQuote,
  onNotice,
}: {
  post: Post;
  slug: string;
  moderator: boolean;
  mine: boolean;
  highlighted: boolean;
  onChanged: (post: Post) => void;
  onQuote: (post: Post) => void;
  onNotice: (message: string) => void;
}) {
  const [flagging, setFlagging] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const ref = useRef<HTMLElement>(null);

  useEffect(() => {
    if (highlighted) ref.current?.scrollIntoView({ block: 'start' });
  }, [highlighted]);

  async function react(kind: ReactionKind) {
    const on = post.myReactions.includes(kind);
    try {
      const view = await api.request<{ reactions: Record<string, number>; myReactions: ReactionKind[] }>(
        on ? 'DELETE' : 'PUT',
        `/posts/${post.id}/reactions/${kind}`,
      );
      onChanged({ ...post, reactions: view.reactions, myReactions: view.myReactions });
    } catch (error) {
      setProblem(error);
    }
  }

  async function bookmark() {
    try {
      await api.request(post.bookmarked ? 'DELETE' : 'PUT', `/posts/${post.id}/bookmark`);
      onChanged({ ...post, bookmarked: !post.bookmarked });
      onNotice(post.bookmarked ? 'Bookmark removed.' : 'Post bookmarked.');
    } catch (error) {
      setProblem(error);
    }
  }

  async function hide(hidden: boolean) {
    try {
      onChanged(await api.put<Post>(`/posts/${post.id}/hidden`, { hidden }));
      onNotice(hidden ? 'The post is hidden from members.' : 'The post is visible again.');
    } catch (error) {
      setProblem(error);
    }
  }

  async function saveEdit(event: FormEvent) {
    event.preventDefault();
    if (editing === null || !editing.trim()) {
      setProblem(new Error('Write something, or delete the post instead'));
      return;
    }
    try {
      onChanged(await api.patch<Post>(`/posts/${post.id}`, { body: editing, version: post.version }));
      setEditing(null);
      setProblem(null);
      onNotice('Your post has been updated.');
    } catch (error) {
      setProblem(error);
    }
  }

  async function remove() {
    try {
      await api.delete(`/posts/${post.id}`);
      onChanged(await api.get<Post>(`/posts/${post.id}`).catch(() => ({ ...post, deleted: true, html: null })));
      setConfirmDelete(false);
      onNotice('Your post has been deleted.');
    } catch (error) {
      setProblem(error);
    }
  }

  // A hidden or deleted post offers nothing to do with it; a moderator may still unhide.
  const actionable = !post.deleted && !post.hidden;
  const label = `Post ${post.postNumber} by ${post.author.displayName}`;
  return (
    <article
      ref={ref}
      id={`post-${post.postNumber}`}
      aria-label={label}
      className={`nhsuk-card nhsuk-u-margin-bottom-4${highlighted ? ' nhsuk-card--feature' : ''}`}
      tabIndex={-1}
    >
      <div className="nhsuk-card__content">
        <h3 className="nhsuk-heading-xs nhsuk-u-margin-bottom-2">
          {post.author.displayName}{' '}
          <span className="nhsuk-body-s">
            · #{post.postNumber} · {formatDateTime(post.createdAt)}
            {post.editedAt ? ' · edited' : ''}
          </span>
        </h3>
        {post.deleted && <Tag colour="grey">Deleted</Tag>}
        {post.hidden && <Tag colour="orange">Hidden by a moderator</Tag>}
        {editing !== null ? (
          <form onSubmit={saveEdit} noValidate>
            <MarkdownEditor
              id={`edit-${post.id}`}
              label={`Edit post ${post.postNumber}`}
              slug={slug}
              value={editing}
              onValue={setEditing}
            />
            <div className="cophub-actions">
              <Button>Save changes</Button>
              <button type="button" className="cophub-link-button" onClick={() => setEditing(null)}>
                Cancel editing
              </button>
            </div>
          </form>
        ) : post.html ? (
          <div className="cophub-prose" dangerouslySetInnerHTML={{ __html: post.html }} />
        ) : (
          <p className="nhsuk-body-s">{post.deleted ? 'This post was deleted.' : 'This post has been hidden.'}</p>
        )}
        {problem ? <ErrorPanel error={problem} /> : null}
        {post.hidden && !post.deleted && moderator && (
          <div className="cophub-actions" role="group" aria-label={`Actions for post ${post.postNumber}`}>
            <button type="button" className="cophub-link-button" onClick={() => void hide(false)}>
              Unhide<span className="nhsuk-u-visually-hidden"> post {post.postNumber}</span>
            </button>
          </div>
        )}
        {actionable && editing === null && (
          <div className="cophub-actions" role="group" aria-label={`Actions for post ${post.postNumber}`}>
            {(Object.keys(REACTIONS) as ReactionKind[]).map((kind) => (
              <button
                key={kind}
                type="button"
                className="cophub-link-button"
                aria-pressed={post.myReactions.includes(kind)}
                onClick={() => void react(kind)}
              >
                {REACTIONS[kind]} ({post.reactions[kind] ?? 0})
              </button>
            ))}
            <button type="button" className="cophub-link-button" onClick={() => onQuote(post)}>
              Quote<span className="nhsuk-u-visually-hidden"> post {post.postNumber}</span>
            </button>
            <button
              type="button"
              className="cophub-link-button"
              aria-pressed={post.bookmarked}
              onClick={() => void bookmark()}
            >
              {post.bookmarked ? 'Bookmarked' : 'Bookmark'}
              <span className="nhsuk-u-visually-hidden"> post {post.postNumber}</span>
            </button>
            <button
              type="button"
              className="cophub-link-button"
              aria-expanded={flagging}
              onClick={() => setFlagging(!flagging)}
            >
              Report<span className="nhsuk-u-visually-hidden"> post {post.postNumber}</span>
            </button>
            {moderator && (
              <button type="button" className="cophub-link-button" onClick={() => void hide(true)}>
                Hide<span className="nhsuk-u-visually-hidden"> post {post.postNumber}</span>
              </button>
            )}
            {mine && (
              <>
                <button type="button" className="cophub-link-button" onClick={() => setEditing(post.source ?? '')}>
                  Edit<span className="nhsuk-u-visually-hidden"> your post {post.postNumber}</span>
                </button>
                <button
                  type="button"
                  className="cophub-link-button"
                  aria-expanded={confirmDelete}
                  onClick={() => setConfirmDelete(!confirmDelete)}
                >
                  Delete<span className="nhsuk-u-visually-hidden"> your post {post.postNumber}</span>
                </button>
              </>
            )}
          </div>
        )}
        {confirmDelete && actionable && (
          <div className="nhsuk-warning-callout">
            <h4 className="nhsuk-warning-callout__label">
              <span role="text">
                <span className="nhsuk-u-visually-hidden">Important: </span>
                Delete post {post.postNumber}?
              </span>
            </h4>
            <p>Others will see that a post was deleted, but not what it said.</p>
            <div className="cophub-actions">
              <button type="button" className="nhsuk-button nhsuk-button--warning" onClick={() => void remove()}>
                Yes, delete my post
              </button>
              <button type="button" className="cophub-link-button" onClick={() => setConfirmDelete(false)}>
                Keep it
              </button>
            </div>
          </div>
        )}
        {flagging && actionable && (
          <FlagForm
            post={post}
            onDone={(message) => {
              setFlagging(false);
              onNotice(message);
            }}
          />
        )}
        <span className="nhsuk-u-visually-hidden">
          <Link to={`/c/${slug}/t/${post.threadId}/${post.postNumber}`}>Link to post {post.postNumber}</Link>
        </span>
      </div>
    </article>
  );
}

export function ThreadPage() {
  const { threadId = '' } = useParams();
  // A new thread is a fresh view: keying on the id resets every piece of state at once.
  return <ThreadView key={threadId} />;
}

function ThreadView() {
  const { slug, standing } = useCommunity();
  const cards = useMentionCards();
  const { threadId = '', postNumber } = useParams();
  const [thread, setThread] = useState<Thread | null>(null);
  const [posts, setPosts] = useState<Post[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const draftKey = `cophub.draft.${threadId}`;
  // A half-written reply is kept per thread on this device, so leaving the page does not lose it.
  const [body, setBodyState] = useState(() => localStorage.getItem(draftKey) ?? '');
  const setBody = useCallback(
    (value: string) => {
      setBodyState(value);
      if (value.trim()) localStorage.setItem(draftKey, value);
      else localStorage.removeItem(draftKey);
    },
    [draftKey],
  );
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => body.trim() !== '' && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (!body.trim()) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [body]);
  const categories = useAsync(['/communities/*/categories', slug], () =>
    api.get<Category[]>(`/communities/${seg(slug)}/categories`),
  );
  const { session } = useAuth();
  const [quote, setQuote] = useState<Post | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  // Pages that lead here after an action (an announcement sent) say what happened.
  const arrived = (useLocation().state as { notice?: string } | null)?.notice ?? '';
  const [notice, setNotice] = useState(arrived);
  const [live, setLive] = useState('');
  const lastNumber = useRef(0);

  const markRead = useCallback(
    (n: number) => {
      if (n > 0) void api.put(`/threads/${threadId}/read`, { postNumber: n }).catch(() => undefined);
    },
    [threadId],
  );

  const merge = useCallback((incoming: Post[]) => {
    setPosts((current) => {
      const byNumber = new Map(current.map((p) => [p.postNumber, p]));
      for (const p of incoming) byNumber.set(p.postNumber, p);
      const merged = [...byNumber.values()].sort((a, b) => a.postNumber - b.postNumber);
      lastNumber.current = merged.at(-1)?.postNumber ?? 0;
      return merged;
    });
  }, []);

  /** Everything after the last post we hold: used for live updates and after reconnecting. */
  const catchUp = useCallback(async () => {
    const page = await api.get<Page<Post>>(`/threads/${threadId}/posts?after=${lastNumber.current}&limit=100`);
    merge(page.items);
    return page.items;
  }, [threadId, merge]);

  useEffect(() => {
    let active = true;
    Promise.all([
      api.get<Thread>(`/threads/${threadId}`),
      api.get<Page<Post>>(`/threads/${threadId}/posts?limit=100`),
    ]).then(
      ([t, page]) => {
        if (!active) return;
        setThread(t);
        merge(page.items);
        setNextCursor(page.nextCursor);
        markRead(page.items.at(-1)?.postNumber ?? 0);
      },
      (e: unknown) => active && setError(e),
    );
    return () => {
      active = false;
    };
  }, [threadId, merge, markRead]);

  const refresh = useCallback(
    async (postId: string) => {
      try {
        const post = await api.get<Post>(`/posts/${postId}`);
        merge([post]);
      } catch {
        // A post that became invisible to this member: leave the last version shown.
      }
    },
    [merge],
  );

  useEffect(
    () =>
      subscribe(
        `thread:${threadId}`,
        {
          'post.created': () =>
            void catchUp().then((added) => {
              if (!added.length) return;
              const last = added[added.length - 1];
              setLive(`New reply from ${last.author.displayName}.`);
              markRead(last.postNumber);
            }),
          'post.updated': (payload) => void refresh((payload as { postId: string }).postId),
          'post.hidden': (payload) => void refresh((payload as { postId: string }).postId),
          'post.deleted': (payload) => void refresh((payload as { postId: string }).postId),
          'reaction.updated': (payload) => {
            const { postId, reactions } = payload as { postId: string; reactions: Record<string, number> };
            setPosts((current) => current.map((p) => (p.id === postId ? { ...p, reactions } : p)));
          },
          'thread.updated': () => void api.get<Thread>(`/threads/${threadId}`).then(setThread),
        },
        // Joined (again, after a reconnect): fetch whatever arrived meanwhile.
        () => void catchUp(),
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [threadId],
  );

  async function loadMore() {
    if (!nextCursor) return;
    const page = await api.get<Page<Post>>(
      `/threads/${threadId}/posts?limit=100&cursor=${encodeURIComponent(nextCursor)}`,
    );
    merge(page.items);
    setNextCursor(page.nextCursor);
  }

  async function reply(event: FormEvent) {
    event.preventDefault();
    if (!body.trim()) {
      setErrors([{ field: 'reply-body', message: 'Write your reply' }]);
      return;
    }
    setErrors([]);
    setBusy(true);
    try {
      const post = await api.post<Post>(`/threads/${threadId}/posts`, {
        body,
        ...(quote ? { quotePostId: quote.id } : {}),
      });
      merge([post]);
      setBody('');
      setQuote(null);
      setNotice('Your reply has been posted.');
      markRead(post.postNumber);
    } catch (error) {
      setErrors(apiErrors(error, { body: 'reply-body', quotePostId: 'reply-body' }, 'reply-body'));
    } finally {
      setBusy(false);
    }
  }

  async function setSubscription(level: 'watching' | 'muted' | 'normal') {
    setThread(await api.put<Thread>(`/threads/${threadId}/subscription`, { level }));
    setNotice(
      level === 'watching'
        ? 'You are watching this thread.'
        : level === 'muted'
          ? 'Thread muted.'
          : 'Back to normal notifications.',
    );
  }

  async function moderate(path: 'pin' | 'lock', value: boolean) {
    setThread(
      await api.put<Thread>(`/threads/${threadId}/${path}`, path === 'pin' ? { pinned: value } : { locked: value }),
    );
  }

  if (error) return <ErrorPanel error={error} />;
  if (!thread) return <Loading what="Loading thread" />;
  const moderator = Boolean(standing.data && isModerator(standing.data));
  return (
    <>
      <Breadcrumbs
        items={[
          { to: `/c/${slug}`, label: standing.data?.community.name ?? 'Community' },
          { to: `/c/${slug}/forum`, label: 'Forum' },
          {
            to: `/c/${slug}/forum/${thread.categoryId}`,
            label: categories.data?.find((c) => c.id === thread.categoryId)?.name ?? 'Category',
          },
        ]}
      />
      <PageHeading caption="Forum thread">{thread.title}</PageHeading>
      <p>
        {thread.pinned && <Tag colour="purple">Pinned</Tag>} {thread.locked && <Tag colour="grey">Locked</Tag>}{' '}
        {thread.subscription === 'watching' && <Tag colour="green">Watching</Tag>}
        {thread.subscription === 'muted' && <Tag colour="grey">Muted</Tag>}
      </p>
      <div className="cophub-actions nhsuk-u-margin-bottom-4">
        {thread.subscription !== 'watching' && (
          <button
            type="button"
            className="nhsuk-button nhsuk-button--secondary"
            onClick={() => void setSubscription('watching')}
          >
            Watch this thread
          </button>
        )}
        {thread.subscription !== 'muted' && (
          <button
            type="button"
            className="nhsuk-button nhsuk-button--secondary"
            onClick={() => void setSubscription('muted')}
          >
            Mute this thread
          </button>
        )}
        {thread.subscription && (
          <button
            type="button"
            className="nhsuk-button nhsuk-button--secondary"
            onClick={() => void setSubscription('normal')}
          >
            Normal notifications
          </button>
        )}
        {moderator && (
          <>
            <button
              type="button"
              className="nhsuk-button nhsuk-button--secondary"
              onClick={() => void moderate('pin', !thread.pinned)}
            >
              {thread.pinned ? 'Unpin' : 'Pin'}
            </button>
            <button
              type="button"
              className="nhsuk-button nhsuk-button--secondary"
              onClick={() => void moderate('lock', !thread.locked)}
            >
              {thread.locked ? 'Unlock' : 'Lock'}
            </button>
          </>
        )}
      </div>
      {moderator && (
        <MoveThread
          thread={thread}
          categories={categories.data ?? []}
          onMoved={(moved, name) => {
            setThread(moved);
            setNotice(`Thread moved to ${name}.`);
          }}
        />
      )}
      <Notice>{notice}</Notice>
      <div role="log" aria-live="polite" className="nhsuk-u-visually-hidden">
        {live}
      </div>
      <h2 className="nhsuk-heading-m">
        {posts.length} {posts.length === 1 ? 'post' : 'posts'}
      </h2>
      {/* Mentions are links; a click on one (bubbling from the post) opens the member's card. */}
      <section aria-label="Posts" onClick={cards.onContentClick}>
        {cards.dialog}
        {posts.map((p) => (
          <PostItem
            key={p.postNumber}
            post={p}
            slug={slug}
            moderator={moderator}
            mine={p.author.id !== null && p.author.id === session?.user.id}
            highlighted={Number(postNumber) === p.postNumber}
            onChanged={(changed) => merge([changed])}
            onQuote={(q) => {
              setQuote(q);
              document.getElementById('reply-body')?.focus();
            }}
            onNotice={setNotice}
          />
        ))}
      </section>
      {nextCursor && (
        <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={() => void loadMore()}>
          Show more posts
        </button>
      )}
      {blocker.state === 'blocked' && (
        <div className="nhsuk-warning-callout" role="alertdialog" aria-labelledby="leave-heading">
          <h2 className="nhsuk-warning-callout__label" id="leave-heading">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>
              Your reply has not been posted
            </span>
          </h2>
          <p>It is kept as a draft on this device and will be here when you come back.</p>
          <div className="cophub-actions">
            <button type="button" className="nhsuk-button" onClick={() => blocker.reset()}>
              Stay and finish my reply
            </button>
            <button type="button" className="cophub-link-button" onClick={() => blocker.proceed()}>
              Leave the page
            </button>
          </div>
        </div>
      )}
      {thread.locked ? (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>This thread is locked. No new replies can be posted.</p>
        </div>
      ) : (
        <form onSubmit={reply} noValidate>
          <h2 className="nhsuk-heading-m">Reply</h2>
          <ErrorSummary errors={errors} />
          {quote && (
            <div className="nhsuk-inset-text">
              <span className="nhsuk-u-visually-hidden">Information: </span>
              <p>
                Quoting post #{quote.postNumber} by {quote.author.displayName}.{' '}
                <button type="button" className="cophub-link-button" onClick={() => setQuote(null)}>
                  Stop quoting
                </button>
              </p>
            </div>
          )}
          <MarkdownEditor
            id="reply-body"
            label="Your reply"
            hint="You can use Markdown. Type @ and a name to mention someone."
            slug={slug}
            value={body}
            error={errorFor(errors, 'reply-body')}
            onValue={setBody}
          />
          <Button busy={busy}>Post reply</Button>
        </form>
      )}
    </>
  );
}
