import { DynamicModule, Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { Clock } from './clock/clock';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './db/database.module';
import { SqlPort } from './db/sql';
import { installCheapAsyncBind } from './http/async-bind';
import { IdempotencyRepository } from './db/idempotency.repository';
import { IdempotencyStore } from './idempotency/idempotency.store';
import { createLogRoot, LOG_ROOT, LogFlusher, loggerParams } from './logging/logging';
import { DatabasePoolMetrics, QueueMetrics } from './metrics/core-metrics';
import { Metrics } from './metrics/metrics';
import { MetricsServer } from './metrics/metrics-server';
import { QueueWorkerOptions } from './queue/job-worker.service';
import { QueueModule } from './queue/queue.module';
import { PersonalDataRegistry } from './personal-data/personal-data';
import { RetentionRegistry } from './personal-data/retention';
import { FailureBackoff } from './rate-limit/failure-backoff';
import { RateLimiter } from './rate-limit/rate-limiter';
import { RedisModule } from './redis/redis.module';

export interface CoreOptions {
  config: AppConfig;
  /** Process name in logs and in `pg_stat_activity`. */
  name: 'cophub-api' | 'cophub-worker' | string;
  /** Present only in the worker: runs these jobs' consumers, with this concurrency per queue. */
  worker?: QueueWorkerOptions;
  /** A clock to share with the caller (tests move time forward through it). */
  clock?: Clock;
  poolSize?: number;
  /** Serve `/metrics` on `METRICS_PORT` (the worker and mail-in; the API serves it on its own port). */
  metricsServer?: boolean;
}

/** Infrastructure every process needs: configuration, logging, metrics, database, Redis, queues, clock. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(options: CoreOptions): DynamicModule {
    installCheapAsyncBind();
    const logRoot = createLogRoot(options.config, options.name);
    return {
      module: CoreModule,
      imports: [
        ConfigModule.forRoot(options.config),
        LoggerModule.forRoot(loggerParams(logRoot)),
        DatabaseModule.forRoot({ applicationName: options.name, poolSize: options.poolSize }),
        RedisModule,
        options.worker ? QueueModule.forWorker(options.worker) : QueueModule,
      ],
      providers: [
        { provide: Clock, useValue: options.clock ?? new Clock() },
        { provide: LOG_ROOT, useValue: logRoot },
        LogFlusher,
        { provide: Metrics, useValue: new Metrics() },
        DatabasePoolMetrics,
        QueueMetrics,
        ...(options.metricsServer ? [MetricsServer] : []),
        RateLimiter,
        FailureBackoff,
        IdempotencyRepository,
        IdempotencyStore,
        PersonalDataRegistry,
        RetentionRegistry,
        SqlPort,
      ],
      exports: [
        Clock,
        RateLimiter,
        FailureBackoff,
        LOG_ROOT,
        Metrics,
        ...(options.metricsServer ? [MetricsServer] : []),
        IdempotencyStore,
        PersonalDataRegistry,
        RetentionRegistry,
        SqlPort,
      ],
    };
  }
}
