import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { Job, Worker } from 'bullmq';
import type Redis from 'ioredis';
import { performance } from 'node:perf_hooks';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { isTraceId, newTraceId, runWithTrace } from '../logging/trace';
import { JobMetrics } from '../metrics/job-metrics';
import { closeRedis, createRedis } from '../redis/redis.module';
import { JOB_HANDLER } from './job-handler.decorator';
import { JobName, QueueName, queueOf } from './jobs';

type Handler = (payload: unknown, job: Job) => Promise<unknown>;

export const QUEUE_WORKER = Symbol('QUEUE_WORKER');

/** What the worker runs: every job of the product (each must have one handler), and each queue's concurrency. */
export interface QueueWorkerOptions {
  jobs: readonly JobName[];
  concurrency: Partial<Record<QueueName, number>>;
}

/** Thrown at start-up when a job has no handler or two: a worker that would drop jobs must not start. */
export class JobRegistryError extends Error {}

/**
 * Consumer side of the queues, run only by the worker. Finds every `@JobHandler` method, checks each
 * job has exactly one, and runs one BullMQ worker per queue. On shutdown, workers stop taking jobs and
 * wait for the ones in flight; anything killed harder is picked up again by the reconcilers.
 */
@Injectable()
export class JobWorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('JobWorker');
  private readonly workers: Worker[] = [];
  private readonly connections: Redis[] = [];
  private readonly handlers = new Map<JobName, Handler>();
  /** Failures already logged by `run`, so BullMQ's failed event does not log them twice. */
  private readonly logged = new WeakSet<Error>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QUEUE_WORKER) private readonly options: QueueWorkerOptions,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly metrics: JobMetrics,
  ) {}

  collectHandlers(): Map<JobName, Handler> {
    const found = new Map<JobName, Handler>();
    const problems: string[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance);
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const name = this.reflector.get<JobName | undefined>(JOB_HANDLER, prototype[method]);
        if (!name) continue;
        if (found.has(name)) problems.push(`job ${name} has more than one handler`);
        found.set(name, (payload, job) => (instance[method] as Function).call(instance, payload, job));
      }
    }
    for (const name of this.options.jobs) {
      if (!found.has(name)) problems.push(`job ${name} has no handler`);
    }
    if (problems.length) throw new JobRegistryError(`Worker cannot start: ${problems.join('; ')}`);
    return found;
  }

  onApplicationBootstrap(): void {
    for (const [name, handler] of this.collectHandlers()) this.handlers.set(name, handler);
    const queues = new Set(this.options.jobs.map(queueOf));
    for (const queue of queues) {
      const connection = createRedis(this.config.redisUrl, 'blocking', `worker ${queue}`);
      this.connections.push(connection);
      const worker = new Worker(queue, (job) => this.run(job), {
        connection,
        prefix: this.config.queuePrefix,
        concurrency: this.options.concurrency[queue] ?? 5,
        // Stalled jobs (a worker killed mid-job) go back to waiting; handlers are idempotent.
        stalledInterval: 15_000,
        maxStalledCount: 5,
      });
      worker.on('error', (error) => this.logger.warn(`queue ${queue}: ${error.message}`));
      // A handler's own failure is logged in `run`, with its trace id; this is for the rest (a stalled job).
      worker.on('failed', (job, error) => {
        if (!this.logged.has(error)) this.logger.warn(`job ${job?.name} ${job?.id} failed: ${error.message}`);
      });
      this.workers.push(worker);
    }
    this.logger.log(`processing ${this.handlers.size} job kinds on ${queues.size} queue(s)`);
  }

  /**
   * Runs one job under the trace id it was enqueued with (a fresh one when it came from no request), so
   * the handler's log lines and the jobs it enqueues carry it, and writes one line when it ends.
   */
  private run(job: Job): Promise<unknown> {
    const metadata = job.opts.telemetry?.metadata;
    return runWithTrace(isTraceId(metadata) ? metadata : newTraceId(), () => this.runTraced(job));
  }

  private async runTraced(job: Job): Promise<unknown> {
    const handler = this.handlers.get(job.name as JobName);
    if (!handler) throw new Error(`no handler for job ${job.name}`);
    const started = performance.now();
    const line = { job: job.name, jobId: job.id, attempt: job.attemptsMade + 1 };
    try {
      const result = await handler(job.data, job);
      const ms = performance.now() - started;
      this.metrics.finished(job.queueName, job.name, 'completed', ms);
      this.logger.log(
        { ...line, ms: Math.round(ms), outcome: typeof result === 'string' ? result : 'done' },
        'job completed',
      );
      return result;
    } catch (error) {
      const ms = performance.now() - started;
      this.metrics.finished(job.queueName, job.name, 'failed', ms);
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn({ ...line, ms: Math.round(ms) }, `job ${job.name} ${job.id} failed: ${message}`);
      if (error instanceof Error) this.logged.add(error);
      throw error;
    }
  }

  /** Runs before connections close: workers stop taking jobs and the ones in flight finish. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close().catch(() => undefined)));
    await Promise.all(this.connections.map((connection) => closeRedis(connection)));
    this.workers.length = 0;
    this.connections.length = 0;
  }
}
