import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { JobsOptions, Queue } from 'bullmq';
import Redis from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { closeRedis, redisOptions } from '../redis/redis.module';
import { JOB_QUEUE, JobName, JobPayload, QueueName } from './jobs';

export interface EnqueueOptions {
  /** Deterministic id: re-enqueueing the same work is then harmless. BullMQ ids may not contain ':'. */
  jobId: string;
  delayMs?: number;
  priority?: number;
}

/** Producer side of the queues: services enqueue, the worker's processors do the work. */
@Injectable()
export class QueueService implements OnApplicationShutdown {
  private readonly queues = new Map<QueueName, Queue>();
  private connection: Redis | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      this.connection ??= new Redis(this.config.redisUrl, redisOptions());
      this.connection.on('error', () => undefined);
      queue = new Queue(name, {
        connection: this.connection,
        prefix: this.config.queuePrefix,
        defaultJobOptions: { removeOnComplete: true, removeOnFail: { count: 1000 } },
      });
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  private jobOptions(options: EnqueueOptions): JobsOptions {
    return {
      jobId: options.jobId,
      delay: options.delayMs && options.delayMs > 0 ? options.delayMs : undefined,
      priority: options.priority,
    };
  }

  async add<N extends JobName>(name: N, payload: JobPayload<N>, options: EnqueueOptions): Promise<void> {
    await this.queue(JOB_QUEUE[name]).add(name, payload, this.jobOptions(options));
  }

  async addBulk<N extends JobName>(
    name: N,
    jobs: Array<{ payload: JobPayload<N>; options: EnqueueOptions }>,
  ): Promise<void> {
    if (!jobs.length) return;
    await this.queue(JOB_QUEUE[name]).addBulk(
      jobs.map((job) => ({ name, data: job.payload, opts: this.jobOptions(job.options) })),
    );
  }

  /** Removes a waiting or delayed job (e.g. a reminder for an event that moved). Active jobs are left to re-check. */
  async remove(name: JobName, jobId: string): Promise<void> {
    const job = await this.queue(JOB_QUEUE[name]).getJob(jobId);
    if (job && !(await job.isActive())) await job.remove().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    this.queues.clear();
    await closeRedis(this.connection);
    this.connection = null;
  }
}
