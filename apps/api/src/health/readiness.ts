import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { APP_CONFIG, AppConfig, pingPostgres, RedisService } from '@cophub/core';

export type ProbeResult = 'up' | 'down';

/** How long a readiness check may take: load balancers probe every few seconds and time out soon after. */
export const PROBE_TIMEOUT_MS = 1_500;

export async function probe(check: () => Promise<unknown>, timeoutMs = PROBE_TIMEOUT_MS): Promise<ProbeResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Readiness: can this instance serve requests? PostgreSQL is asked over a connection of its own, not
 * the shared pool, so a busy instance whose pool is exhausted still reports what is true (PostgreSQL
 * is up; the 503s it gives meanwhile carry Retry-After) instead of flapping and being ejected.
 * A draining instance (SIGTERM received) reports not ready so the load balancer stops sending.
 */
@Injectable()
export class ReadinessProbe implements OnApplicationShutdown {
  private client: Client | null = null;
  private connecting: Promise<Client> | null = null;
  private draining = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisService,
  ) {}

  markDraining(): void {
    this.draining = true;
  }

  async check(): Promise<{ ready: boolean; checks: { postgres: ProbeResult; redis: ProbeResult }; draining: boolean }> {
    const [postgres, redis] = await Promise.all([
      probe(() => this.pingPostgres()).then((result) => {
        // A connection that failed or hung is thrown away; the next probe opens a fresh one.
        if (result === 'down') this.dropClient();
        return result;
      }),
      probe(() => this.redis.client.ping()),
    ]);
    return {
      ready: !this.draining && postgres === 'up' && redis === 'up',
      checks: { postgres, redis },
      draining: this.draining,
    };
  }

  private async pingPostgres(): Promise<void> {
    await pingPostgres(await this.connection());
  }

  private connection(): Promise<Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const client = new Client({
        connectionString: this.config.databaseUrl,
        connectionTimeoutMillis: PROBE_TIMEOUT_MS,
        statement_timeout: PROBE_TIMEOUT_MS,
        application_name: 'cophub-api-readiness',
      });
      client.on('error', () => this.dropClient());
      try {
        await client.connect();
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      }
      this.client = client;
      return client;
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private dropClient(): void {
    const client = this.client;
    this.client = null;
    void client?.end().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    this.dropClient();
  }
}
