import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * The trace id of the work running now: an HTTP request's id (`x-request-id`), or the id a job was
 * enqueued with. Every log line written inside that work carries it (`traceId`, see `createLogRoot`),
 * and jobs enqueued inside it carry it on to the worker (`QueueService`), so one id follows a request
 * into the jobs it caused. It is metadata only: no handler reads it to decide anything.
 */
const traces = new AsyncLocalStorage<string>();

/** The trace id of the current request or job, if any. */
export function currentTraceId(): string | undefined {
  return traces.getStore();
}

/** Runs `fn` (and everything it starts) under `traceId`. */
export function runWithTrace<T>(traceId: string, fn: () => T): T {
  return traces.run(traceId, fn);
}

/** A fresh trace id, for work that starts on its own (a job enqueued outside any request). */
export function newTraceId(): string {
  return randomUUID();
}

/** Trace ids travel in headers and job options: a short run of safe characters, or nothing. */
export function isTraceId(value: unknown): value is string {
  return typeof value === 'string' && /^[\w.-]{1,128}$/.test(value);
}
