import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { METRICS_CONTENT_TYPE, Metrics, metricsAuthorized } from './metrics';

/**
 * `/metrics` for the processes that serve no HTTP (the worker, mail-in): a small HTTP server on
 * `METRICS_HOST`:`METRICS_PORT` (unset: none), behind `METRICS_TOKEN` when it is set. Anything but
 * `GET /metrics` is 404. The API serves the same from its own port instead.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server: Server | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  /** The port it listens on (useful with `METRICS_PORT=0`); null when it does not run. */
  get port(): number | null {
    const address = this.server?.address() as AddressInfo | null | undefined;
    return address ? address.port : null;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { port, host, token } = this.config.metrics;
    if (port === null) return;
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: the metrics are at /metrics\n');
        return;
      }
      if (!metricsAuthorized(request.headers.authorization, token)) {
        response.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' }).end('Unauthorized\n');
        return;
      }
      this.metrics.text().then(
        (text) => response.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE }).end(text),
        (error: Error) => {
          this.logger.warn(`metrics scrape failed: ${error.message}`);
          response.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '5' }).end('Metrics unavailable\n');
        },
      );
    });
    // A scraper keeps its connection open between scrapes; stopping must not wait for it.
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.logger.log(`metrics on http://${host}:${this.port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
