import { Injectable } from '@nestjs/common';
import type { Counter, Histogram } from 'prom-client';
import { Metrics } from './metrics';

/** Jobs run by this worker: how many ended and how, and how long they took. */
@Injectable()
export class JobMetrics {
  private readonly ended: Counter<'queue' | 'job' | 'outcome'>;
  private readonly duration: Histogram<'queue' | 'job'>;

  constructor(metrics: Metrics) {
    this.ended = metrics.counter({
      name: 'cophub_jobs_total',
      help: 'Jobs this worker ran, by queue, job and outcome (completed or failed)',
      labelNames: ['queue', 'job', 'outcome'],
    });
    this.duration = metrics.histogram({
      name: 'cophub_job_duration_seconds',
      help: 'How long each job took in this worker',
      labelNames: ['queue', 'job'],
      buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
    });
  }

  finished(queue: string, job: string, outcome: 'completed' | 'failed', ms: number): void {
    this.ended.inc({ queue, job, outcome });
    this.duration.observe({ queue, job }, ms / 1000);
  }
}
