import { BadRequestException } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import fastifyHelmet, { FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parse as parseQueryString } from 'node:querystring';
import type { Logger as PinoRoot } from 'pino';
import { AppConfig, inputProblem, requestId, runWithTrace } from '@cophub/core';
import type { HttpMetrics } from './http-metrics';

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** `HTTP_BODY_LIMIT` is written as body-parser took it ("256kb", "1mb", or bytes); Fastify wants bytes. */
export function bodyLimitBytes(limit: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(limit);
  if (!match) throw new Error(`HTTP_BODY_LIMIT "${limit}" is not a size such as 256kb`);
  return Math.floor(Number(match[1]) * UNITS[(match[2] ?? 'b').toLowerCase()]);
}

/** Handles a request nothing else answered; returns true when it sent the response itself. */
export type FallbackHandler = (request: FastifyRequest, reply: FastifyReply) => boolean;

/**
 * The Fastify adapter with one addition: a page fallback (the web app's SPA document) that runs
 * before Nest's own not-found handler, so only requests that matched no route ever reach it and API
 * routes never look at the filesystem. Fastify allows one not-found handler per instance, which Nest
 * claims during `init()`; wrapping it here keeps Nest's JSON 404 for everything the fallback declines.
 */
export class ApiFastifyAdapter extends FastifyAdapter {
  private fallback: FallbackHandler | null = null;

  useFallback(fallback: FallbackHandler): void {
    this.fallback = fallback;
  }

  override setNotFoundHandler(handler: (request: FastifyRequest, reply: FastifyReply) => unknown) {
    return super.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
      if (this.fallback?.(request, reply)) return;
      return handler(request, reply);
    });
  }
}

export function createHttpAdapter(config: AppConfig): ApiFastifyAdapter {
  return new ApiFastifyAdapter({
    trustProxy: config.http.trustProxy,
    bodyLimit: bodyLimitBytes(config.http.bodyLimit),
    // Nest logs through pino already; the one line per request comes from `registerRequestLog`.
    logger: false,
    genReqId: requestId,
    requestIdHeader: false,
    routerOptions: {
      // As Express routed: `/api/v1/me/` is `/api/v1/me`; calendar feed tokens are longer than 100 characters.
      ignoreTrailingSlash: true,
      maxParamLength: 500,
    },
  });
}

/**
 * Request bodies as the API took them under Express: strict JSON (an object or array only, empty
 * means `{}`), flat urlencoded forms (the unsubscribe POST from mail clients), and multipart left
 * unread so the upload controller streams the raw request through busboy with its own limits.
 */
export function registerBodyParsers(instance: FastifyInstance, config: AppConfig): void {
  const bodyLimit = bodyLimitBytes(config.http.bodyLimit);
  // Fastify's parser, which also refuses `__proto__` and `constructor.prototype` keys.
  const parseJson = instance.getDefaultJsonParser('error', 'error');
  instance.removeContentTypeParser(['application/json', 'text/plain']);
  instance.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (request, body, done) => {
    const text = (body as string).trim();
    if (!text) return done(null, {});
    if (text[0] !== '{' && text[0] !== '[') {
      return done(new BadRequestException('Request body is not valid JSON: send an object or an array'), undefined);
    }
    parseJson(request, text, (error, parsed) => {
      if (error) return done(new BadRequestException('Request body is not valid JSON'), undefined);
      const problem = inputProblem(parsed, 'the request body');
      return problem ? done(new BadRequestException(problem), undefined) : done(null, parsed);
    });
  });
  instance.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit },
    (_request, body, done) => {
      const parsed = { ...parseQueryString(body as string) };
      const problem = inputProblem(parsed, 'the request body');
      return problem ? done(new BadRequestException(problem), undefined) : done(null, parsed);
    },
  );
  instance.addContentTypeParser('multipart/form-data', (_request, _payload, done) => done(null, undefined));
  // The inbound mail webhook reads raw messages from the request itself, with its own size limit.
  instance.addContentTypeParser(['message/rfc822', 'application/octet-stream'], (_request, _payload, done) =>
    done(null, undefined),
  );
  // The query string and route parameters get the same check as bodies, for every route at once.
  instance.addHook('preValidation', (request, _reply, done) => {
    const problem = inputProblem(request.query, 'the query string') ?? inputProblem(request.params, 'the address');
    done(problem ? new BadRequestException(problem) : undefined);
  });
}

/** Security headers for every API response; the CSP lets the swagger UI under /api/docs work. */
export const API_HELMET: FastifyHelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      // The API docs page needs inline styles and scripts from swagger-ui.
      scriptSrc: ["'self'", "'unsafe-inline'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'", 'ws:', 'wss:'],
    },
  },
};

/** Headers Fastify itself writes; everything else on the probe's answer came from helmet. */
const OWN_HEADERS = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive']);

/**
 * The headers @fastify/helmet sets with these options, worked out once. The plugin builds a new
 * helmet middleware (re-parsing the CSP) in two hooks on every request; with fixed options its
 * output never changes, so a probe instance answers one request at start-up and the API then
 * sets the same headers from a plain object.
 */
export async function securityHeaders(options: FastifyHelmetOptions): Promise<Record<string, string>> {
  const probe = Fastify({ logger: false });
  await probe.register(fastifyHelmet, options);
  probe.get('/', () => 'probe');
  const answer = await probe.inject({ method: 'GET', url: '/' });
  await probe.close();
  return Object.fromEntries(
    Object.entries(answer.headers)
      .filter(([name, value]) => !OWN_HEADERS.has(name) && value !== undefined)
      .map(([name, value]) => [name, String(value)]),
  );
}

/** Requests that are not logged one line each: load-balancer probes and metrics scrapes. */
const UNLOGGED = new Set(['/health', '/metrics']);

/**
 * Every response carries the security headers and `x-request-id`, and each request gets one log
 * line when it finishes (method, path, status, time): no serializers, no per-request child logger.
 * `/health` and `/metrics` are not logged, so probes and scrapes do not drown the log. The request
 * runs under its id as the trace id (every log line it writes and every job it enqueues carry it),
 * and counts in the HTTP metrics by route template.
 */
export function registerRequestHooks(
  instance: FastifyInstance,
  log: PinoRoot,
  headers: Record<string, string>,
  metrics: HttpMetrics,
): void {
  instance.addHook('onRequest', (request, reply, done) => {
    void reply.headers(headers).header('x-request-id', request.id);
    runWithTrace(request.id, done);
  });
  instance.addHook('onResponse', (request, reply, done) => {
    metrics.observe(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
    if (!UNLOGGED.has(request.url) && log.isLevelEnabled('info')) {
      log.info(
        {
          reqId: request.id,
          method: request.method,
          url: request.url,
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime),
        },
        'request completed',
      );
    }
    done();
  });
}
