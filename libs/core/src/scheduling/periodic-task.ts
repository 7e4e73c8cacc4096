import { Logger } from '@nestjs/common';

/**
 * A pass a worker repeats on a timer (reconcilers, digests): at most one pass in flight per process
 * (concurrent calls share it), failures logged rather than thrown, and a clean stop that waits for
 * the pass in progress. The work itself must be safe to run from several processes at once.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly what: string,
    private readonly work: () => Promise<number>,
  ) {}

  start(intervalMs: number, runNow = true): void {
    if (runNow) void this.runOnce();
    this.timer = setInterval(() => void this.runOnce(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** One pass; returns what the work counted (rows re-enqueued, messages staged…), 0 on failure. */
  runOnce(): Promise<number> {
    this.running ??= this.work()
      .catch((error: Error) => {
        this.logger.warn(`${this.what} failed: ${error.message}`);
        return 0;
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }
}
