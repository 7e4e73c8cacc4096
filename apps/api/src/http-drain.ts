import type { INestApplication } from '@nestjs/common';
import { expireRunningRequests } from '@cophub/core';
import type { Server, ServerResponse } from 'node:http';
import { ReadinessProbe } from './health/readiness';

/**
 * Graceful stop for the HTTP side. On `drain()`: readiness turns 503 (load balancers stop sending),
 * the listener closes (no new connections), idle keep-alive connections are closed at once and every
 * response still to come says `Connection: close`, so clients reconnect to another instance. In-flight
 * requests get until the deadline; whatever is still open then is cut, and the application closes
 * (socket.io, queues, pool).
 */
export class HttpDrain {
  private readonly active = new Set<ServerResponse>();
  private draining = false;

  constructor(
    private readonly app: INestApplication,
    private readonly server: Server,
  ) {
    server.on('request', (_request, response: ServerResponse) => {
      this.active.add(response);
      if (this.draining) response.shouldKeepAlive = false;
      response.once('close', () => this.active.delete(response));
    });
  }

  static attach(app: INestApplication): HttpDrain {
    return new HttpDrain(app, app.getHttpServer() as Server);
  }

  get inFlight(): number {
    return this.active.size;
  }

  async drain(timeoutMs: number): Promise<{ cut: number }> {
    this.draining = true;
    // Requests already running answer with `Connection: close` too (their headers are not out yet).
    for (const response of this.active) if (!response.headersSent) response.shouldKeepAlive = false;
    this.app.get(ReadinessProbe).markDraining();
    this.server.close();
    this.server.closeIdleConnections();
    // A keep-alive connection turns idle when its last response ends: close it then, not 5 s later.
    const sweeper = setInterval(() => this.server.closeIdleConnections(), 100);
    const deadline = Date.now() + timeoutMs;
    while (this.active.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    clearInterval(sweeper);
    const cut = this.active.size;
    if (cut) {
      // Cancel what the cut requests still run in PostgreSQL, so nothing commits after its client was
      // cut off (a retry with the same Idempotency-Key then creates the item once).
      expireRunningRequests();
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    this.server.closeAllConnections();
    await this.app.close();
    return { cut };
  }
}
