import type { FastifyInstance } from 'fastify';
import type { Counter, Histogram } from 'prom-client';
import { METRICS_CONTENT_TYPE, Metrics, metricsAuthorized } from '@cophub/core';

/** Seconds, from a cached thread read (about a millisecond) to the request deadline. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

type Labels = 'method' | 'route' | 'status';

/**
 * Requests by route template (`/api/v1/threads/:id`, never the address itself, so the number of series
 * stays that of the routes), method and status, with their latency. A request no route matched (the web
 * app's pages, a 404) counts under route `none`. The label children are kept per combination: a request
 * costs two map look-ups, not a label hash per metric.
 */
export class HttpMetrics {
  private readonly requests: Counter<Labels>;
  private readonly latency: Histogram<Labels>;
  private readonly children = new Map<string, { count: Counter.Internal; time: Histogram.Internal<Labels> }>();

  constructor(metrics: Metrics) {
    this.requests = metrics.counter({
      name: 'cophub_http_requests_total',
      help: 'HTTP requests answered, by method, route template and status',
      labelNames: ['method', 'route', 'status'],
    });
    this.latency = metrics.histogram({
      name: 'cophub_http_request_duration_seconds',
      help: 'Time from a request arriving to its answer being sent, by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
    });
  }

  observe(method: string, route: string | undefined, status: number, seconds: number): void {
    const key = `${method} ${status} ${route ?? ''}`;
    let child = this.children.get(key);
    if (!child) {
      const labels = { method, route: route ?? 'none', status: String(status) };
      child = { count: this.requests.labels(labels), time: this.latency.labels(labels) };
      this.children.set(key, child);
    }
    child.count.inc();
    child.time.observe(seconds);
  }
}

/**
 * `GET /metrics` on the API's own port, outside `/api/v1` and the OpenAPI document: the application's
 * metrics and the process's in the Prometheus text format. With `METRICS_TOKEN` set it answers only
 * `Authorization: Bearer <token>` (401 otherwise).
 */
export function registerMetricsRoute(instance: FastifyInstance, metrics: Metrics, token: string | null): void {
  instance.get('/metrics', async (request, reply) => {
    if (!metricsAuthorized(request.headers.authorization, token)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ statusCode: 401, error: 'Unauthorized', message: 'The metrics need the metrics token' });
    }
    return reply.header('content-type', METRICS_CONTENT_TYPE).send(await metrics.text());
  });
}
