import { io, Socket } from 'socket.io-client';
import { scaled } from './run-env';

/** A socket.io client as the web app opens one (websocket only, no reconnection), signed in with `token` if given. */
export function openSocket(url: string, token?: string): Socket {
  return io(url, { auth: token ? { token } : {}, transports: ['websocket'], reconnection: false, forceNew: true });
}

/** Resolves once the handshake is accepted; rejects with the server's refusal, or after `timeoutMs`. */
export function connected(socket: Socket, timeoutMs = scaled(20_000)): Promise<Socket> {
  if (socket.connected) return Promise.resolve(socket);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off('connect', onConnect);
      socket.off('connect_error', onError);
      reject(new Error(`socket not connected within ${timeoutMs} ms`));
    }, timeoutMs);
    const onConnect = () => {
      clearTimeout(timer);
      socket.off('connect_error', onError);
      resolve(socket);
    };
    const onError = (error: Error) => {
      clearTimeout(timer);
      socket.off('connect', onConnect);
      reject(error);
    };
    socket.once('connect', onConnect);
    socket.once('connect_error', onError);
  });
}

/** A socket.io client signed in with `token`, connected (rejects with the handshake's refusal). */
export function connectSocket(url: string, token: string, timeoutMs?: number): Promise<Socket> {
  return connected(openSocket(url, token), timeoutMs);
}

/** Asks the gateway to join `room`; the answer says whether the member may. */
export function joinRoom(
  socket: Socket,
  room: string,
  timeoutMs = scaled(5_000),
): Promise<{ ok: boolean; error?: string }> {
  return socket.timeout(timeoutMs).emitWithAck('join', room);
}

/** The next `event` the socket receives, or a rejection after `timeoutMs`. */
export function nextEvent<T>(socket: Socket, event: string, timeoutMs = scaled(5_000)): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, onEvent);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onEvent = (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    };
    socket.once(event, onEvent);
  });
}

/** Whether `event` reaches the socket within `timeoutMs` (false rather than a rejection when it does not). */
export function eventArrives(socket: Socket, event: string, timeoutMs: number): Promise<boolean> {
  return nextEvent(socket, event, timeoutMs).then(
    () => true,
    () => false,
  );
}

/** Resolves when the server ends the connection (with the reason), rejects after `timeoutMs`. */
export function disconnected(socket: Socket, timeoutMs = scaled(5_000)): Promise<string> {
  if (socket.disconnected) return Promise.resolve('already disconnected');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still connected after ${timeoutMs} ms`)), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}
