import { Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { AccessTokenService, AuthUser } from '@cophub/identity';
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

function tokenOf(socket: Socket): string | null {
  const auth = socket.handshake.auth as { token?: unknown } | undefined;
  if (typeof auth?.token === 'string') return auth.token.replace(/^Bearer\s+/i, '');
  const header = socket.handshake.headers.authorization;
  return header ? header.replace(/^Bearer\s+/i, '') : null;
}

/**
 * One gateway for every live update. The handshake is authenticated with the API's access token;
 * each socket joins its own user room; any other room is joined on request, after the owning
 * module's authorizer says yes.
 */
@WebSocketGateway()
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection {
  private readonly logger = new Logger('RealtimeGateway');

  constructor(
    private readonly tokens: AccessTokenService,
    private readonly rooms: RoomAuthorizers,
  ) {}

  afterInit(server: Server): void {
    server.use((socket, next) => {
      const user = this.tokens.verify(tokenOf(socket));
      if (!user) {
        next(Object.assign(new Error('unauthorized'), { data: { message: 'Sign in to receive live updates' } }));
        return;
      }
      (socket.data as SocketData).user = user;
      next();
    });
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
}
