import { Client } from 'pg';

/**
 * Counts the statements the pg driver sends to one database from this process (each `query` call is
 * one round trip: node-postgres does not pipeline). Used by tests and the bench to hold the reply
 * path to its round-trip budget; the app must run in this process (as `TestStack` runs it).
 */
export class PgRoundTripCounter {
  private count = 0;
  private readonly original = Client.prototype.query;
  private readonly statements: string[] = [];

  constructor(private readonly databaseName: string) {
    const original = this.original;
    const record = (database: string | undefined, first: unknown) => {
      if (database !== this.databaseName) return;
      this.count += 1;
      this.statements.push(typeof first === 'string' ? first : ((first as { text?: string })?.text ?? '?'));
    };
    Client.prototype.query = function (this: Client & { database?: string }, ...args: unknown[]) {
      record(this.database, args[0]);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof Client.prototype.query;
  }

  /** Round trips since the last reset, and the statements sent (for a helpful failure message). */
  take(): { count: number; statements: string[] } {
    const result = { count: this.count, statements: [...this.statements] };
    this.count = 0;
    this.statements.length = 0;
    return result;
  }

  restore(): void {
    Client.prototype.query = this.original;
  }
}
