import type { Socket } from 'socket.io-client';
import { type QueryKey, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from './client';

let socket: Promise<Socket> | null = null;
let socketUser: string | null = null;

/**
 * One socket per tab, opened on first use (socket.io-client is loaded lazily to keep it out of the
 * main bundle). The handshake carries the current access token, fetched fresh on every reconnect.
 */
export function liveSocket(): Promise<Socket> {
  const userId = api.current?.user.id ?? null;
  if (socket && socketUser !== userId) closeLiveSocket();
  socketUser = userId;
  socket ??= import('socket.io-client').then(({ io }) =>
    io({
      path: '/socket.io',
      transports: ['websocket'],
      auth: (cb) => {
        void api.accessToken().then((token) => cb({ token: token ?? '' }));
      },
    }),
  );
  return socket;
}

export function closeLiveSocket(): void {
  void socket?.then((s) => s.disconnect());
  socket = null;
}

/** Joins a room (e.g. `thread:<id>`) and listens for events; returns the clean-up. */
export function subscribe(
  room: string | null,
  handlers: Record<string, (payload: unknown) => void>,
  onReady?: () => void,
): () => void {
  let closed = false;
  let current: Socket | null = null;
  const join = () => {
    if (room && current) {
      void current.emitWithAck('join', room).then(() => {
        if (!closed) onReady?.();
      });
    } else if (!closed) onReady?.();
  };
  void liveSocket().then((s) => {
    if (closed) return;
    current = s;
    for (const [event, handler] of Object.entries(handlers)) s.on(event, handler);
    // Rooms are lost on reconnect: join again each time.
    s.on('connect', join);
    if (s.connected) join();
  });
  return () => {
    closed = true;
    if (!current) return;
    for (const [event, handler] of Object.entries(handlers)) current.off(event, handler);
    current.off('connect', join);
    if (room) current.emit('leave', room);
  };
}

/**
 * Keeps cached queries current: while mounted, joins `room` and marks the given queries stale when
 * one of the listed socket events arrives, so TanStack Query refetches what is on screen. Payloads are
 * small (ids and versions); the data always comes back over REST.
 */
export function useLiveInvalidation(
  room: string | null,
  events: Record<string, readonly QueryKey[]>,
  enabled = true,
): void {
  const client = useQueryClient();
  // The map is usually written inline; key the effect on its content, not its identity.
  const signature = JSON.stringify(events);
  useEffect(() => {
    if (!enabled) return;
    const map = JSON.parse(signature) as Record<string, QueryKey[]>;
    const handlers = Object.fromEntries(
      Object.entries(map).map(([event, queryKeys]) => [
        event,
        () => {
          for (const queryKey of queryKeys) void client.invalidateQueries({ queryKey });
        },
      ]),
    );
    return subscribe(room, handlers);
  }, [client, room, signature, enabled]);
}
