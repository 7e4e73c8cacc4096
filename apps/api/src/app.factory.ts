import { BadRequestException, INestApplication, ValidationError, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from 'nestjs-pino';
import { AppConfig, Clock, IDEMPOTENCY_EXTENSION } from '@cophub/core';
import { ApiModule } from './api.module';
import { RedisIoAdapter } from './realtime/redis-io.adapter';

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(error.property) && parent ? `${parent}.${message}` : message,
    );
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/** Validation for every request: unknown fields rejected, types converted, one readable message. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => new BadRequestException(flatten(errors).join('; ')),
  });
}

export interface ApiAppOptions {
  clock?: Clock;
  /** Set false in tests that want quiet output. */
  logs?: boolean;
}

/** Builds the configured API application; `main.ts` and the test harness both use this. */
export async function createApiApp(config: AppConfig, options: ApiAppOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot({ config, clock: options.clock }), {
    bufferLogs: true,
    bodyParser: false,
    abortOnError: false,
  });
  app.useLogger(options.logs === false ? false : app.get(Logger));
  app.set('trust proxy', config.http.trustProxy);
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: config.http.bodyLimit, strict: true });
  app.useBodyParser('urlencoded', { limit: config.http.bodyLimit, extended: false });
  app.use(
    helmet({
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
    }),
  );
  if (config.http.webRoot) serveWebApp(app, config.http.webRoot);
  if (config.http.corsOrigins.length) app.enableCors({ origin: config.http.corsOrigins, credentials: true });
  app.useGlobalPipes(validationPipe());
  app.useWebSocketAdapter(new RedisIoAdapter(app, config));
  // No enableShutdownHooks: main.ts drains on SIGTERM within SHUTDOWN_TIMEOUT_MS (see HttpDrain).

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('CoP Hub API')
      .setDescription('Forum, events, resources and polls for Psychological Practitioner Communities of Practice')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  documentIdempotencyKey(document);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}

/** Every POST that stores its answer accepts `Idempotency-Key` (see `IdempotencyInterceptor`). */
function documentIdempotencyKey(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    const operation = item.post;
    if (!operation || (operation as unknown as Record<string, unknown>)[IDEMPOTENCY_EXTENSION]) continue;
    operation.parameters = [
      ...(operation.parameters ?? []),
      {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        schema: { type: 'string', maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
        description:
          'A fresh key (e.g. a UUID) per intended action. A retry with the same key and body gets the first ' +
          'answer (header Idempotent-Replayed: true) and creates nothing; the same key with another body is 422; ' +
          'a retry while the first is still running is 409 with Retry-After. Kept for 24 hours. Signed-in callers only.',
      },
    ];
  }
}

/** Paths the API itself answers; everything else that is a page GET belongs to the web app. */
const SERVER_PATHS = /^\/(api|socket\.io|dev|health|assets)(\/|$)/;

/**
 * The web app's document allows only scripts from this origin: the Vite bundle has no inline script,
 * so the page gets a stricter policy than the swagger UI under /api/docs needs.
 */
const WEB_APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' https://assets.nhs.uk data:",
  "connect-src 'self' ws: wss:",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

/**
 * Serves the built web app (`npm run build:web`): hashed assets with a long cache life, and
 * `index.html` for every other page GET so the client-side router can take the URL (SPA fallback).
 * Nothing is served when the build is absent, so the API runs alone in tests and development.
 */
function serveWebApp(app: NestExpressApplication, webRoot: string): void {
  const indexFile = join(webRoot, 'index.html');
  if (!existsSync(indexFile)) return;
  const indexHtml = readFileSync(indexFile, 'utf8');
  app.useStaticAssets(join(webRoot, 'assets'), { prefix: '/assets/', immutable: true, maxAge: '365d', index: false });
  app.useStaticAssets(webRoot, { index: false, maxAge: '1h' });
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    if (SERVER_PATHS.test(request.path) || !request.accepts('html')) return next();
    response
      .status(200)
      .setHeader('Content-Type', 'text/html; charset=utf-8')
      .setHeader('Cache-Control', 'no-cache')
      .setHeader('Content-Security-Policy', WEB_APP_CSP)
      .send(indexHtml);
  });
}
