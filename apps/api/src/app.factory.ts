import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { DNSResolver } from 'mailauth';
import { Logger } from 'nestjs-pino';
import { AppConfig, Clock, LOG_ROOT, Metrics } from '@cophub/core';
import { ApiModule } from './api.module';
import { validationPipe } from './common/validation';
import { HttpMetrics, registerMetricsRoute } from './http-metrics';
import {
  API_HELMET,
  createHttpAdapter,
  registerBodyParsers,
  registerRequestHooks,
  securityHeaders,
} from './http-platform';
import { openApiDocument } from './openapi';
import { RedisIoAdapter } from './realtime/redis-io.adapter';
import { serveWebApp } from './web-app';

export interface ApiAppOptions {
  clock?: Clock;
  /** Set false in tests that want quiet output. */
  logs?: boolean;
  /** DNS for the inbound mail webhook's SPF/DKIM/DMARC checks (tests pass a stub). */
  mailInResolver?: DNSResolver;
}

/**
 * Builds the configured API application, initialised and ready (routes, plugins and the socket.io
 * server attached), so `main.ts`, the test stack and supertest all get the same finished server.
 */
export async function createApiApp(config: AppConfig, options: ApiAppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = createHttpAdapter(config);
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiModule.forRoot({ config, clock: options.clock, mailInResolver: options.mailInResolver }),
    adapter,
    { bufferLogs: true, bodyParser: false, abortOnError: false },
  );
  app.useLogger(options.logs === false ? false : app.get(Logger));
  registerBodyParsers(adapter.getInstance(), config);
  const metrics = app.get(Metrics);
  registerRequestHooks(
    adapter.getInstance(),
    app.get(LOG_ROOT),
    await securityHeaders(API_HELMET),
    new HttpMetrics(metrics),
  );
  registerMetricsRoute(adapter.getInstance(), metrics, config.metrics.token);
  if (config.http.webRoot) await serveWebApp(app, adapter, config.http.webRoot);
  if (config.http.corsOrigins.length) app.enableCors({ origin: config.http.corsOrigins, credentials: true });
  app.useGlobalPipes(validationPipe());
  app.useWebSocketAdapter(new RedisIoAdapter(app, config));
  // No enableShutdownHooks: main.ts drains on SIGTERM within SHUTDOWN_TIMEOUT_MS (see HttpDrain).

  SwaggerModule.setup('api/docs', app, openApiDocument(app), { jsonDocumentUrl: 'api/docs-json' });
  await app.init();
  await adapter.getInstance().ready();
  return app;
}
