import { Injectable } from '@nestjs/common';

/**
 * The one source of "now" for domain logic, so expiry, scheduling and reminders can be tested with
 * a controlled time. Database defaults are only used for bookkeeping columns (`created_at`).
 */
@Injectable()
export class Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Moves this process's time forward (tests and demos only). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  set(date: Date): void {
    this.offsetMs = date.getTime() - Date.now();
  }
}
