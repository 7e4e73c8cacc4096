import { Logger, OnApplicationShutdown } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { Metrics } from '@cophub/core';
import { AccessTokenService, AuthUser, IdentityChange, IdentityChanges, SessionService } from '@cophub/identity';
import { parseRoom, RoomAuthorizers, roomName } from '@cophub/realtime';

/** What clients send; server → client events are listed by each module (see its `*.events.ts`). */
export interface ClientToServerEvents {
  join: (room: string, ack?: (reply: JoinReply) => void) => void;
  leave: (room: string, ack?: (reply: JoinReply) => void) => void;
}

export interface JoinReply {
  ok: boolean;
  room?: string;
  error?: string;
}

interface SocketData {
  user: AuthUser;
}

type AppSocket = Socket<ClientToServerEvents, Record<string, (payload: unknown) => void>, object, SocketData>;

/**
 * How often each socket's sign-in and rooms are checked again. Changes announced through Redis act at
 * once; this sweep bounds how long a socket outlives its session when such an announcement was missed
 * (Redis away) — it reads through the same short-lived caches as requests, so it is cheap.
 */
const SWEEP_INTERVAL_MS = 30_000;

function tokenOf(socket: Socket): string | null {
  const auth = socket.handshake.auth as { token?: unknown } | undefined;
  if (typeof auth?.token === 'string') return auth.token.replace(/^Bearer\s+/i, '');
  const header = socket.handshake.headers.authorization;
  return header ? header.replace(/^Bearer\s+/i, '') : null;
}

/**
 * One gateway for every live update. The handshake is authenticated with the API's access token and
 * its sign-in must be live; each socket joins its own user room; any other room is joined on request,
 * after the owning module's authorizer says yes. When a sign-in ends the sockets of that sign-in are
 * disconnected, and when a membership changes the person's sockets leave every room they may no
 * longer listen in (a suspended member hears nothing more from rooms already joined).
 */
@WebSocketGateway()
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection, OnApplicationShutdown {
  private readonly logger = new Logger('RealtimeGateway');
  private server: Server | null = null;
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly tokens: AccessTokenService,
    private readonly sessions: SessionService,
    private readonly rooms: RoomAuthorizers,
    private readonly changes: IdentityChanges,
    private readonly metrics: Metrics,
  ) {}

  afterInit(server: Server): void {
    this.server = server;
    this.metrics.gauge({
      name: 'cophub_socket_connections',
      help: 'socket.io connections open on this API instance',
      collect() {
        this.set(server.of('/').sockets.size);
      },
    });
    server.use((socket, next) => {
      const claims = this.tokens.verify(tokenOf(socket));
      const refuse = () =>
        next(Object.assign(new Error('unauthorized'), { data: { message: 'Sign in to receive live updates' } }));
      if (!claims) return refuse();
      this.sessions.resolve(claims).then(
        (user) => {
          if (!user) return refuse();
          (socket.data as SocketData).user = user;
          next();
        },
        (error: Error) => {
          this.logger.warn(`handshake check failed: ${error.message}`);
          refuse();
        },
      );
    });
    this.changes.subscribe((change) => this.apply(change));
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  async handleConnection(socket: AppSocket): Promise<void> {
    if (!socket.data.user) {
      socket.disconnect(true);
      return;
    }
    await socket.join(roomName('user', socket.data.user.id));
  }

  @SubscribeMessage('join')
  async join(@ConnectedSocket() socket: AppSocket, @MessageBody() room: unknown): Promise<JoinReply> {
    const parsed = parseRoom(room);
    if (!parsed) return { ok: false, error: 'unknown room' };
    try {
      if (!(await this.rooms.allows(socket.data.user, parsed.kind, parsed.id))) {
        return { ok: false, room: room as string, error: 'forbidden' };
      }
    } catch (error) {
      this.logger.warn(`join ${String(room)} failed: ${(error as Error).message}`);
      return { ok: false, room: room as string, error: 'forbidden' };
    }
    await socket.join(room as string);
    return { ok: true, room: room as string };
  }

  @SubscribeMessage('leave')
  async leave(@ConnectedSocket() socket: AppSocket, @MessageBody() room: unknown): Promise<JoinReply> {
    const parsed = parseRoom(room);
    if (!parsed || parsed.kind === 'user') return { ok: false, error: 'unknown room' };
    await socket.leave(room as string);
    return { ok: true, room: room as string };
  }

  /** This instance's sockets, optionally only one person's. */
  private localSockets(userId?: string): AppSocket[] {
    const all = this.server ? [...this.server.of('/').sockets.values()] : [];
    return (all as AppSocket[]).filter((s) => s.data.user && (!userId || s.data.user.id === userId));
  }

  private async apply(change: IdentityChange): Promise<void> {
    if (change.kind === 'session') {
      for (const socket of this.localSockets(change.userId)) {
        if (socket.data.user.sessionId === change.sessionId) socket.disconnect(true);
      }
    } else if (change.kind === 'user' || change.kind === 'membership') {
      await Promise.all(this.localSockets(change.userId).map((socket) => this.recheck(socket)));
    } else if (change.kind === 'all') {
      await this.sweep();
    }
  }

  private async sweep(): Promise<void> {
    for (const socket of this.localSockets()) {
      await this.recheck(socket).catch((error: Error) => this.logger.warn(`socket re-check failed: ${error.message}`));
    }
  }

  /** Disconnects a socket whose sign-in ended; takes it out of rooms its owner may no longer hear. */
  private async recheck(socket: AppSocket): Promise<void> {
    const user = await this.sessions.resolve(socket.data.user);
    if (!user) {
      socket.disconnect(true);
      return;
    }
    socket.data.user = user;
    for (const room of [...socket.rooms]) {
      const parsed = parseRoom(room);
      if (!parsed || parsed.kind === 'user') continue;
      const allowed = await this.rooms.allows(user, parsed.kind, parsed.id).catch(() => false);
      if (!allowed) await socket.leave(room);
    }
  }

  onApplicationShutdown(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }
}
