import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { http, ok } from '../../api/http';
import { useInvalidate } from '../../api/query';
import type { Post, ReactionKind } from '../../api/types';
import { apiErrors, Button, ErrorSummary, errorFor, TextInput, type FieldError } from '../../components/forms';
import { formatDateTime } from '../../components/labels';
import { ErrorPanel, Tag } from '../../components/ui';
import { MarkdownEditor } from './Editor';

export function fetchPost(id: string): Promise<Post> {
  return ok(http.GET('/api/v1/posts/{id}', { params: { path: { id } } }));
}

/**
 * What a member does to one post. The thread page holds its posts itself (merged with live updates), so
 * each answer goes back to it through `onChanged`; lists elsewhere that show the post are refetched.
 */
function usePostWrites(post: Post, slug: string) {
  const invalidate = useInvalidate();
  const path = { params: { path: { id: post.id } } };
  return {
    react: useMutation({
      mutationFn: ({ kind, on }: { kind: ReactionKind; on: boolean }) => {
        const params = { params: { path: { id: post.id, kind } } };
        return ok(
          on
            ? http.PUT('/api/v1/posts/{id}/reactions/{kind}', params)
            : http.DELETE('/api/v1/posts/{id}/reactions/{kind}', params),
        );
      },
    }),
    bookmark: useMutation({
      mutationFn: (on: boolean) =>
        ok(on ? http.PUT('/api/v1/posts/{id}/bookmark', path) : http.DELETE('/api/v1/posts/{id}/bookmark', path)),
      onSuccess: () => invalidate(['/communities/*/bookmarks', slug]),
    }),
    hide: useMutation({
      mutationFn: (hidden: boolean) => ok(http.PUT('/api/v1/posts/{id}/hidden', { ...path, body: { hidden } })),
      onSuccess: () => invalidate(['/communities/*/moderation/flags', slug]),
    }),
    edit: useMutation({
      mutationFn: (body: string) =>
        ok(http.PATCH('/api/v1/posts/{id}', { ...path, body: { body, version: post.version } })),
    }),
    remove: useMutation({
      mutationFn: () => ok(http.DELETE('/api/v1/posts/{id}', path)),
      onSuccess: () => invalidate(['/communities/*/threads', slug], ['/communities/*/bookmarks', slug]),
    }),
  };
}

const REACTIONS: Record<ReactionKind, string> = {
  like: 'Like',
  thanks: 'Thanks',
  insightful: 'Insightful',
  support: 'Support',
};

function FlagForm({ post, slug, onDone }: { post: Post; slug: string; onDone: (message: string) => void }) {
  const invalidate = useInvalidate();
  const flag = useMutation({
    mutationFn: (reason: string) =>
      ok(http.POST('/api/v1/posts/{id}/flags', { params: { path: { id: post.id } }, body: { reason } })),
    onSuccess: () => invalidate(['/communities/*/moderation/flags', slug]),
  });
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
      await flag.mutateAsync(reason.trim());
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

export function PostItem({
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
  const writes = usePostWrites(post, slug);

  useEffect(() => {
    if (highlighted) ref.current?.scrollIntoView({ block: 'start' });
  }, [highlighted]);

  async function react(kind: ReactionKind) {
    const on = post.myReactions.includes(kind);
    try {
      const view = await writes.react.mutateAsync({ kind, on: !on });
      onChanged({ ...post, reactions: view.reactions, myReactions: view.myReactions });
    } catch (error) {
      setProblem(error);
    }
  }

  async function bookmark() {
    try {
      await writes.bookmark.mutateAsync(!post.bookmarked);
      onChanged({ ...post, bookmarked: !post.bookmarked });
      onNotice(post.bookmarked ? 'Bookmark removed.' : 'Post bookmarked.');
    } catch (error) {
      setProblem(error);
    }
  }

  async function hide(hidden: boolean) {
    try {
      onChanged(await writes.hide.mutateAsync(hidden));
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
      onChanged(await writes.edit.mutateAsync(editing));
      setEditing(null);
      setProblem(null);
      onNotice('Your post has been updated.');
    } catch (error) {
      setProblem(error);
    }
  }

  async function remove() {
    try {
      await writes.remove.mutateAsync();
      onChanged(await fetchPost(post.id).catch(() => ({ ...post, deleted: true, html: null })));
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
            slug={slug}
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
