import { Injectable } from '@nestjs/common';
import { RealtimePublisher, RoomKind } from '@cophub/realtime';

/** Server → client forum events. Payloads are ids and versions; clients refetch over REST. */
export interface ForumServerEvents {
  'thread.created': { threadId: string; categoryId: string };
  'thread.updated': { threadId: string; categoryId: string; postCount?: number; pinned?: boolean; locked?: boolean };
  'post.created': { threadId: string; postId: string; postNumber: number; version: number };
  'post.updated': { threadId: string; postId: string; postNumber: number; version: number };
  'post.hidden': { threadId: string; postId: string; postNumber: number; version: number; hidden: boolean };
  'post.deleted': { threadId: string; postId: string; postNumber: number; version: number };
  'reaction.updated': { threadId: string; postId: string; reactions: Record<string, number> };
}

export interface PendingEvent<E extends keyof ForumServerEvents = keyof ForumServerEvents> {
  room: RoomKind;
  id: string;
  event: E;
  payload: ForumServerEvents[E];
}

export function forumEvent<E extends keyof ForumServerEvents>(
  room: RoomKind,
  id: string,
  event: E,
  payload: ForumServerEvents[E],
): PendingEvent {
  return { room, id, event, payload } as PendingEvent;
}

/** Publishes events gathered during a transaction; call only after it committed. */
@Injectable()
export class ForumEvents {
  constructor(private readonly publisher: RealtimePublisher) {}

  publish(events: PendingEvent[]): void {
    for (const e of events) this.publisher.publish(e.room, e.id, e.event, e.payload);
  }
}
