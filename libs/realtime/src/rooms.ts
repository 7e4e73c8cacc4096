import type { AuthUser } from '@cophub/identity';

/** Kinds of socket.io room. A room name is `<kind>:<id>`, e.g. `thread:5f0c…`. */
export type RoomKind = 'user' | 'community' | 'category' | 'thread' | 'poll' | 'event';

export function roomName(kind: RoomKind, id: string): string {
  return `${kind}:${id}`;
}

export function parseRoom(room: unknown): { kind: RoomKind; id: string } | null {
  if (typeof room !== 'string' || room.length > 100) return null;
  const match = /^(user|community|category|thread|poll|event):([0-9a-f-]{36})$/.exec(room);
  return match ? { kind: match[1] as RoomKind, id: match[2] } : null;
}

/** Answers "may this user listen in this room?"; each module registers one per room kind it owns. */
export type RoomAuthorizer = (user: AuthUser, id: string) => Promise<boolean>;

/**
 * Permission for joining rooms, checked when a socket asks to join (not only at connect), in one
 * registry the gateway consults. Modules register in their module's `onModuleInit`.
 */
export class RoomAuthorizers {
  private readonly byKind = new Map<RoomKind, RoomAuthorizer>();

  register(kind: RoomKind, authorizer: RoomAuthorizer): void {
    if (this.byKind.has(kind)) throw new Error(`room kind ${kind} already has an authorizer`);
    this.byKind.set(kind, authorizer);
  }

  async allows(user: AuthUser, kind: RoomKind, id: string): Promise<boolean> {
    if (kind === 'user') return user.id === id;
    const authorizer = this.byKind.get(kind);
    return authorizer ? authorizer(user, id) : false;
  }
}
