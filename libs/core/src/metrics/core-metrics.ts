import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { performance } from 'node:perf_hooks';
import type { Pool, PoolClient } from 'pg';
import type { Histogram } from 'prom-client';
import { DataSource } from 'typeorm';
import { QueueService } from '../queue/queue.service';
import { Metrics } from './metrics';

/** Seconds: from a millisecond fetch of a hot pool connection to a pool wait near its limit. */
const ACQUIRE_BUCKETS = [0.001, 0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type ConnectCallback = (error: Error | undefined, client: PoolClient | undefined, release: () => void) => void;

/**
 * The PostgreSQL pool (TypeORM's `pg` pool) as gauges read on each scrape (connections open and idle,
 * requests waiting for one, the limit), and how long each checkout waited (`cophub_db_pool_acquire_seconds`).
 */
@Injectable()
export class DatabasePoolMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    const pool = (this.dataSource.driver as unknown as { master?: Pool }).master;
    if (!pool) return;
    const labelNames = ['state'] as const;
    const connections = this.metrics.gauge({
      name: 'cophub_db_pool_connections',
      help: 'PostgreSQL pool connections by state: open (total), idle, and the most the pool opens (max)',
      labelNames,
    });
    const waiting = this.metrics.gauge({
      name: 'cophub_db_pool_waiting',
      help: 'Queries waiting for a free PostgreSQL pool connection now',
    });
    this.metrics.collect('db_pool', [connections, waiting], async () => {
      connections.set({ state: 'total' }, pool.totalCount);
      connections.set({ state: 'idle' }, pool.idleCount);
      connections.set({ state: 'max' }, pool.options.max ?? 10);
      waiting.set(pool.waitingCount);
    });
    this.timeCheckouts(pool);
  }

  /** Wraps the pool's `connect` so each checkout's wait is observed; the pool behaves exactly as before. */
  private timeCheckouts(pool: Pool): void {
    const acquire: Histogram<'outcome'> = this.metrics.histogram({
      name: 'cophub_db_pool_acquire_seconds',
      help: 'Time to check a connection out of the PostgreSQL pool (long waits mean the pool is too small)',
      labelNames: ['outcome'],
      buckets: ACQUIRE_BUCKETS,
    });
    const original = pool.connect.bind(pool) as (callback?: ConnectCallback) => Promise<PoolClient> | undefined;
    const observe = (started: number, error: unknown) =>
      acquire.observe({ outcome: error ? 'failed' : 'ok' }, (performance.now() - started) / 1000);
    (pool as unknown as { connect: (callback?: ConnectCallback) => unknown }).connect = (callback?: ConnectCallback) => {
      const started = performance.now();
      if (callback) {
        return original((error, client, release) => {
          observe(started, error);
          callback(error, client, release);
        });
      }
      return original()!.then(
        (client) => {
          observe(started, null);
          return client;
        },
        (error: unknown) => {
          observe(started, error);
          throw error;
        },
      );
    };
  }
}

/**
 * Every queue's depth by state and the age of its oldest due job, read from Redis on each scrape. The
 * queues are the cluster's, so every process reports the same values (aggregate with `max`).
 */
@Injectable()
export class QueueMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly queues: QueueService,
  ) {}

  onModuleInit(): void {
    const jobs = this.metrics.gauge({
      name: 'cophub_queue_jobs',
      help: 'Jobs in each queue by state (wait: due and not yet taken; active; delayed; prioritized; failed)',
      labelNames: ['queue', 'state'],
    });
    const oldest = this.metrics.gauge({
      name: 'cophub_queue_oldest_waiting_seconds',
      help: 'How long the oldest due job of each queue has waited to be taken (0 when none waits)',
      labelNames: ['queue'],
    });
    this.metrics.collect('queues', [jobs, oldest], async () => {
      const depths = await this.queues.depths();
      jobs.reset();
      oldest.reset();
      for (const { queue, counts, oldestWaitingMs } of depths) {
        for (const [state, count] of Object.entries(counts)) jobs.set({ queue, state }, count);
        oldest.set({ queue }, (oldestWaitingMs ?? 0) / 1000);
      }
    });
  }
}
