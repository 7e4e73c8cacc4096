import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { JobsOptions, Queue } from 'bullmq';
import type Redis from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { currentTraceId } from '../logging/trace';
import { closeRedis, createRedis, REDIS_COMMAND_TIMEOUT_MS } from '../redis/redis.module';
import { declaredQueues, JobName, JobPayload, QueueName, queueOf } from './jobs';

/** Tries of a job within one enqueue; after the last, the owning outbox row's reconciler enqueues it again. */
export const JOB_ATTEMPTS = 3;

export interface EnqueueOptions {
  /** Deterministic id: re-enqueueing the same work is then harmless. BullMQ ids may not contain ':'. */
  jobId: string;
  delayMs?: number;
  priority?: number;
}

/** What a queue holds now, for metrics. */
export interface QueueDepth {
  queue: QueueName;
  /** Jobs by state: `wait` (due, not yet taken), `active`, `delayed`, `prioritized`, `failed`. */
  counts: Record<string, number>;
  /** How long the oldest due job has waited to be taken, in ms; null when none waits. */
  oldestWaitingMs: number | null;
}

/** Producer side of the queues: services enqueue, the worker's processors do the work. */
@Injectable()
export class QueueService implements OnModuleInit, OnApplicationShutdown {
  private readonly queues = new Map<QueueName, Queue>();
  private connection: Redis | null = null;
  private readonly logger = new Logger('QueueService');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Opens every queue at start (Redis is checked then), so none first connects during an outage. */
  onModuleInit(): void {
    for (const name of declaredQueues()) this.queue(name);
  }

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      // Producers fail fast while Redis is away: every job is also a row in PostgreSQL that a
      // reconciler re-enqueues, so a request must not wait for Redis to come back.
      this.connection ??= createRedis(this.config.redisUrl, 'command', 'queue producer');
      queue = new Queue(name, {
        connection: this.connection,
        prefix: this.config.queuePrefix,
        // A failing job is tried again after 1 s and 2 s (a database blip), then removed: jobs have
        // deterministic ids, and a failed job kept in Redis would make the reconcilers' re-enqueue of
        // its still-owed row a no-op for good. Failures are logged by the worker.
        defaultJobOptions: {
          removeOnComplete: true,
          removeOnFail: true,
          attempts: JOB_ATTEMPTS,
          backoff: { type: 'exponential', delay: 1_000 },
        },
      });
      queue.on('error', (error) => this.logger.debug(`queue ${name}: ${error.message}`));
      this.queues.set(name, queue);
    }
    return queue;
  }

  /**
   * A job enqueued inside a request or another job carries that work's trace id as BullMQ's
   * propagation metadata (`opts.telemetry.metadata`), which the worker logs with the job: metadata
   * only, never part of the payload, so a job's id and data stay as deterministic as before.
   */
  private jobOptions(options: EnqueueOptions): JobsOptions {
    const traceId = currentTraceId();
    return {
      jobId: options.jobId,
      delay: options.delayMs && options.delayMs > 0 ? options.delayMs : undefined,
      priority: options.priority,
      telemetry: traceId ? { metadata: traceId } : undefined,
    };
  }

  async add<N extends JobName>(name: N, payload: JobPayload<N>, options: EnqueueOptions): Promise<void> {
    await this.bounded(this.queue(queueOf(name)).add(name, payload, this.jobOptions(options)));
  }

  async addBulk<N extends JobName>(
    name: N,
    jobs: Array<{ payload: JobPayload<N>; options: EnqueueOptions }>,
  ): Promise<void> {
    if (!jobs.length) return;
    await this.bounded(
      this.queue(queueOf(name)).addBulk(
        jobs.map((job) => ({ name, data: job.payload, opts: this.jobOptions(job.options) })),
      ),
    );
  }

  /** Removes a waiting or delayed job (e.g. a reminder for an event that moved). Active jobs are left to re-check. */
  async remove(name: JobName, jobId: string): Promise<void> {
    const job = await this.bounded(this.queue(queueOf(name)).getJob(jobId));
    if (job && !(await this.bounded(job.isActive()))) await this.bounded(job.remove()).catch(() => undefined);
  }

  /** Every queue's job counts and the age of its oldest due job (bounded like every other call). */
  async depths(now = Date.now()): Promise<QueueDepth[]> {
    return Promise.all(
      [...this.queues].map(async ([queue, q]) => {
        const [counts, [oldest]] = await Promise.all([
          this.bounded(q.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'failed')),
          this.bounded(q.getJobs(['wait'], 0, 0, true)),
        ]);
        // A delayed job became due at its creation plus its delay.
        const dueAt = oldest ? oldest.timestamp + (oldest.delay ?? 0) : null;
        return { queue, counts, oldestWaitingMs: dueAt === null ? null : Math.max(0, now - dueAt) };
      }),
    );
  }

  /**
   * BullMQ waits for a queue's first connection without a time limit (a queue first used while Redis
   * is down would hold its request until Redis returns), so every call is bounded here; callers log
   * the failure and leave the job to the reconcilers.
   */
  private async bounded<T>(operation: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('Redis did not answer in time')), 2 * REDIS_COMMAND_TIMEOUT_MS);
    });
    try {
      return await Promise.race([operation, timeout]);
    } finally {
      clearTimeout(timer);
      // An operation still pending when the timer won settles later; nobody awaits it then.
      operation.catch(() => undefined);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const queues = [...this.queues.values()];
    // A queue closed while its first connection check is still running loses its error listeners
    // and then throws that check's failure (the shared connection closes under it): let the checks
    // settle first (bounded, for when Redis is away).
    await Promise.all(queues.map((q) => this.bounded(q.waitUntilReady()).catch(() => undefined)));
    await Promise.all(queues.map((q) => q.close().catch(() => undefined)));
    this.queues.clear();
    await closeRedis(this.connection);
    this.connection = null;
  }
}
