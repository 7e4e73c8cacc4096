import { useMutation } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { http, ok } from '../../api/http';
import { useInvalidate } from '../../api/query';
import { subscribe } from '../../api/realtime';
import type { Post, Thread } from '../../api/types';
import { categoriesKey } from './forumWrites';
import { fetchPost } from './PostItem';

function fetchThread(id: string): Promise<Thread> {
  return ok(http.GET('/api/v1/threads/{id}', { params: { path: { id } } }));
}

function fetchPosts(id: string, query: { after?: number; limit: number; cursor?: string }) {
  return ok(http.GET('/api/v1/threads/{id}/posts', { params: { path: { id }, query } }));
}

/** What a member does to a thread; each answers with the thread (or the new post) for the page to show. */
function useThreadWrites(threadId: string, slug: string) {
  const invalidate = useInvalidate();
  const path = { params: { path: { id: threadId } } };
  // Lists elsewhere that show the thread's counts, unread marks, pin and lock: refetched when next shown.
  const lists = () => invalidate(['/communities/*/threads', slug], categoriesKey(slug));
  return {
    read: useMutation({
      mutationFn: (postNumber: number) => ok(http.PUT('/api/v1/threads/{id}/read', { ...path, body: { postNumber } })),
      onSuccess: lists,
    }),
    reply: useMutation({
      mutationFn: (body: { body: string; quotePostId?: string }) =>
        ok(http.POST('/api/v1/threads/{id}/posts', { ...path, body })),
      onSuccess: lists,
    }),
    subscription: useMutation({
      mutationFn: (level: 'watching' | 'muted' | 'normal') =>
        ok(http.PUT('/api/v1/threads/{id}/subscription', { ...path, body: { level } })),
    }),
    pin: useMutation({
      mutationFn: (pinned: boolean) => ok(http.PUT('/api/v1/threads/{id}/pin', { ...path, body: { pinned } })),
      onSuccess: lists,
    }),
    lock: useMutation({
      mutationFn: (locked: boolean) => ok(http.PUT('/api/v1/threads/{id}/lock', { ...path, body: { locked } })),
      onSuccess: lists,
    }),
  };
}

/**
 * A thread and its posts, held by the page and kept live: new replies, edits, hides, deletions and
 * reactions arrive over the socket and are merged in; after a reconnect whatever was missed is fetched.
 */
export function useThread(threadId: string, slug: string, setLive: (message: string) => void) {
  const [thread, setThread] = useState<Thread | null>(null);
  const [posts, setPosts] = useState<Post[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const writes = useThreadWrites(threadId, slug);
  const { mutateAsync: read } = writes.read;
  const lastNumber = useRef(0);

  const markRead = useCallback(
    (n: number) => {
      if (n > 0) void read(n).catch(() => undefined);
    },
    [read],
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
    const page = await fetchPosts(threadId, { after: lastNumber.current, limit: 100 });
    merge(page.items);
    return page.items;
  }, [threadId, merge]);

  useEffect(() => {
    let active = true;
    Promise.all([fetchThread(threadId), fetchPosts(threadId, { limit: 100 })]).then(
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
        const post = await fetchPost(postId);
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
          'thread.updated': () => void fetchThread(threadId).then(setThread),
        },
        // Joined (again, after a reconnect): fetch whatever arrived meanwhile.
        () => void catchUp(),
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [threadId],
  );

  async function loadMore() {
    if (!nextCursor) return;
    const page = await fetchPosts(threadId, { limit: 100, cursor: nextCursor });
    merge(page.items);
    setNextCursor(page.nextCursor);
  }

  return { thread, setThread, posts, nextCursor, error, merge, markRead, loadMore, writes };
}
