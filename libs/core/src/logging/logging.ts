import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import pino, { DestinationStream, Logger as PinoRoot } from 'pino';
import type { AppConfig } from '../config/app-config';
import { currentTraceId, isTraceId } from './trace';

/** The process's root pino logger (injectable), shared by Nest's logger and the per-request line. */
export const LOG_ROOT = Symbol('LOG_ROOT');

/** The longest a log line waits in the buffer before it is written to stdout. */
export const LOG_FLUSH_MS = 250;

/**
 * Standard output through an asynchronous destination that gathers lines into writes of 4 KB, and
 * writes out whatever it holds at most `flushMs` after a line arrives: a busy process writes full
 * buffers, and an idle one still has every line (the error of a full disk, say) on stdout within
 * `flushMs`, not only when the process stops. What is still held on exit (a signal's shutdown, an
 * uncaught exception) is written synchronously by pino's exit handler.
 */
export function stdoutDestination(
  flushMs = LOG_FLUSH_MS,
  dest: number | string = 1,
): DestinationStream & { flush(): void; end(): void } {
  const destination = pino.destination({ dest, sync: false, minLength: 4096 });
  const write = destination.write.bind(destination);
  let timer: NodeJS.Timeout | undefined;
  // A flush that comes while a write is still in flight leaves the lines that arrived since in the
  // buffer, so each burst of lines ends with one more flush after the last one.
  let lastOfBurst = false;
  const arm = () => {
    timer = setTimeout(flushHeld, flushMs);
    // The timer never keeps a finished process alive; exit writes what is left.
    timer.unref();
  };
  function flushHeld() {
    timer = undefined;
    try {
      destination.flush();
    } catch {
      // Closed (the process is stopping): the exit handler has written what was held.
      return;
    }
    lastOfBurst = !lastOfBurst;
    if (lastOfBurst) arm();
  }
  destination.write = (line: string) => {
    const written = write(line);
    lastOfBurst = false;
    if (!timer) arm();
    return written;
  };
  return destination;
}

/**
 * JSON logs written through an asynchronous destination (`stdoutDestination`): a log call costs a
 * string build and a buffer append, never a synchronous write to stdout on the request path. A line
 * written inside a request or job carries its `traceId`.
 */
export function createLogRoot(
  config: AppConfig,
  name: string,
  destination: DestinationStream = stdoutDestination(),
): PinoRoot {
  return pino(
    {
      name,
      level: config.logLevel,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
      mixin: () => {
        const traceId = currentTraceId();
        return traceId ? { traceId } : {};
      },
    },
    destination,
  );
}

/**
 * Nest's logger over the root logger. No pino-http middleware: the API writes its one line per
 * request from a Fastify hook (see `requestId` and the API's HTTP platform), which costs far less.
 */
export function loggerParams(root: PinoRoot): Params {
  return { pinoHttp: { logger: root, autoLogging: false, quietReqLogger: true }, forRoutes: [] };
}

/** The caller's `x-request-id` when it is sane, else a fresh one; echoed on every response. */
export function requestId(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  return isTraceId(incoming) ? incoming : randomUUID();
}

/** Writes out what the asynchronous destination still holds when the application stops. */
@Injectable()
export class LogFlusher implements OnApplicationShutdown {
  constructor(@Inject(LOG_ROOT) private readonly root: PinoRoot) {}

  onApplicationShutdown(): void {
    try {
      this.root.flush();
    } catch {
      // The destination may not be open yet (a very early stop); nothing to flush then.
    }
  }
}
