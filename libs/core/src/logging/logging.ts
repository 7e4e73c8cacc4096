import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import pino, { Logger as PinoRoot } from 'pino';
import type { AppConfig } from '../config/app-config';

/** The process's root pino logger (injectable), shared by Nest's logger and the per-request line. */
export const LOG_ROOT = Symbol('LOG_ROOT');

/**
 * JSON logs written through an asynchronous destination: a log call costs a string build and a
 * buffer append, never a synchronous write to stdout on the request path. The buffer is flushed on
 * shutdown (and by pino on process exit).
 */
export function createLogRoot(config: AppConfig, name: string): PinoRoot {
  return pino(
    {
      name,
      level: config.logLevel,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
    },
    pino.destination({ dest: 1, sync: false, minLength: 4096 }),
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
  return typeof incoming === 'string' && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
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
