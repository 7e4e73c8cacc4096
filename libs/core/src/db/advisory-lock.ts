import type { DataSource } from 'typeorm';

/**
 * A PostgreSQL session advisory lock: a text key is hashed (`hashtext`), a number is the key itself. The two
 * kinds never meet: a pass named 'mail' and the retention round's number are different locks.
 */
export type AdvisoryLockKey = string | number;

export type AdvisoryLockOutcome<T> = { locked: true; value: T } | { locked: false };

/** The statements of each kind of key. */
const LOCK_STATEMENTS = {
  text: {
    lock: 'SELECT pg_advisory_lock(hashtext($1))',
    tryLock: 'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
    unlock: 'SELECT pg_advisory_unlock(hashtext($1))',
  },
  number: {
    lock: 'SELECT pg_advisory_lock($1)',
    tryLock: 'SELECT pg_try_advisory_lock($1) AS locked',
    unlock: 'SELECT pg_advisory_unlock($1)',
  },
};

/**
 * Runs `work` while this process holds the advisory lock `key`, on a connection of its own held for the whole
 * time (a session lock belongs to its connection). With `wait` it waits for another holder to let go; without,
 * it answers `{ locked: false }` at once when the lock is held elsewhere. The lock is released when `work` ends,
 * however it ends.
 */
export async function withAdvisoryLock<T>(
  dataSource: DataSource,
  key: AdvisoryLockKey,
  options: { wait: boolean },
  work: () => Promise<T>,
): Promise<AdvisoryLockOutcome<T>> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const statements = typeof key === 'string' ? LOCK_STATEMENTS.text : LOCK_STATEMENTS.number;
  try {
    if (options.wait) {
      await runner.query(statements.lock, [key]);
    } else {
      const [row] = (await runner.query(statements.tryLock, [key])) as Array<{ locked: boolean }>;
      if (!row?.locked) return { locked: false };
    }
    try {
      return { locked: true, value: await work() };
    } finally {
      await runner.query(statements.unlock, [key]);
    }
  } finally {
    await runner.release();
  }
}
