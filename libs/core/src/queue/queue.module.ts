import { DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobMetrics } from '../metrics/job-metrics';
import { JobWorkerService, QUEUE_WORKER, QueueWorkerOptions } from './job-worker.service';
import { QueueService } from './queue.service';

/** Producers everywhere; `forWorker` adds the consumer side, used only by apps/worker. */
@Global()
@Module({ providers: [QueueService], exports: [QueueService] })
export class QueueModule {
  static forWorker(worker: QueueWorkerOptions): DynamicModule {
    return {
      module: QueueModule,
      imports: [DiscoveryModule],
      providers: [QueueService, JobWorkerService, JobMetrics, { provide: QUEUE_WORKER, useValue: worker }],
      exports: [QueueService],
    };
  }
}
