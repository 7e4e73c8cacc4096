import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppConfig, Clock } from '@cophub/core';
import { WorkerModule } from './worker.module';

export interface WorkerOptions {
  clock?: Clock;
  logs?: boolean;
  /** False when the caller handles signals itself (main.ts stops within SHUTDOWN_TIMEOUT_MS). */
  shutdownHooks?: boolean;
}

/** An application context (no HTTP) running the job processors and reconcilers. */
export async function createWorker(config: AppConfig, options: WorkerOptions = {}): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot({ config, clock: options.clock }), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(options.logs === false ? false : app.get(Logger));
  if (options.shutdownHooks !== false) app.enableShutdownHooks();
  await app.init();
  return app;
}
