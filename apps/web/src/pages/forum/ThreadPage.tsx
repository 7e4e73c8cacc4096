import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useBlocker, useLocation, useParams } from 'react-router-dom';
import type { Post } from '../../api/types';
import { useAuth } from '../../auth/auth';
import { apiErrors, Button, ErrorSummary, errorFor, type FieldError } from '../../components/forms';
import { useMentionCards } from '../../components/ProfileCard';
import { Breadcrumbs, ErrorPanel, Loading, Notice, PageHeading, Tag, useAsync } from '../../components/ui';
import { isModerator, useCommunity } from '../communities/community';
import { MarkdownEditor } from './Editor';
import { categoriesKey, fetchCategories } from './forumWrites';
import { MoveThread } from './MoveThread';
import { PostItem } from './PostItem';
import { useThread } from './useThread';

export function ThreadPage() {
  const { threadId = '' } = useParams();
  // A new thread is a fresh view: keying on the id resets every piece of state at once.
  return <ThreadView key={threadId} />;
}

function ThreadView() {
  const { slug, standing } = useCommunity();
  const cards = useMentionCards();
  const { threadId = '', postNumber } = useParams();
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
  const categories = useAsync(categoriesKey(slug), () => fetchCategories(slug));
  const { session } = useAuth();
  const [quote, setQuote] = useState<Post | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  // Pages that lead here after an action (an announcement sent) say what happened.
  const arrived = (useLocation().state as { notice?: string } | null)?.notice ?? '';
  const [notice, setNotice] = useState(arrived);
  const [live, setLive] = useState('');
  const { thread, setThread, posts, nextCursor, error, merge, markRead, loadMore, writes } = useThread(
    threadId,
    slug,
    setLive,
  );

  async function reply(event: FormEvent) {
    event.preventDefault();
    if (!body.trim()) {
      setErrors([{ field: 'reply-body', message: 'Write your reply' }]);
      return;
    }
    setErrors([]);
    setBusy(true);
    try {
      const post = await writes.reply.mutateAsync({ body, ...(quote ? { quotePostId: quote.id } : {}) });
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
    setThread(await writes.subscription.mutateAsync(level));
    setNotice(
      level === 'watching'
        ? 'You are watching this thread.'
        : level === 'muted'
          ? 'Thread muted.'
          : 'Back to normal notifications.',
    );
  }

  async function moderate(path: 'pin' | 'lock', value: boolean) {
    setThread(await (path === 'pin' ? writes.pin : writes.lock).mutateAsync(value));
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
          slug={slug}
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
