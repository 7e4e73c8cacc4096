import { requestDeadlines } from '@cophub/core';

interface Batch<M, R> {
  members: M[];
  promise: Promise<R>;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

interface KeyState<M, R> {
  running: boolean;
  waiting: Batch<M, R> | null;
}

function newBatch<M, R>(): Batch<M, R> {
  let resolve!: (result: R) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<R>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { members: [], promise, resolve, reject };
}

/**
 * Many readers of one thread page at once each need the same fresh facts from PostgreSQL (the
 * thread's version) and a little of their own (membership, reactions, bookmarks). Readers of one key
 * that arrive while a lookup for that key is running wait together for the next lookup, which
 * answers them all in one round trip; the first reader of a quiet key is looked up at once.
 *
 * A lookup only ever answers readers that were already waiting when it was sent, so every reader
 * sees each write that committed before it asked, exactly as if it had queried alone: nothing is
 * cached here, round trips are only shared.
 */
export class ReadBatches<M, R> {
  private readonly keys = new Map<string, KeyState<M, R>>();

  constructor(private readonly lookup: (key: string, members: M[]) => Promise<R>) {}

  read(key: string, member: M): Promise<R> {
    let state = this.keys.get(key);
    if (!state) {
      state = { running: false, waiting: null };
      this.keys.set(key, state);
    }
    const batch = (state.waiting ??= newBatch<M, R>());
    batch.members.push(member);
    if (!state.running) this.start(key, state);
    return batch.promise;
  }

  /** Keys with a lookup running or readers waiting (for tests). */
  get busyKeys(): number {
    return this.keys.size;
  }

  private start(key: string, state: KeyState<M, R>): void {
    const batch = state.waiting!;
    state.waiting = null;
    state.running = true;
    // Outside any one request's deadline: the lookup serves the whole batch, and each reader's own
    // deadline still ends its own request.
    requestDeadlines
      .exit(() => this.lookup(key, batch.members))
      .then(batch.resolve, batch.reject)
      .finally(() => {
        state.running = false;
        if (state.waiting) this.start(key, state);
        else this.keys.delete(key);
      });
  }
}
