import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../testing/src/db/test-database';
import { RequestDeadlineError } from '../errors/unavailable';
import { dataSourceOptions } from './data-source-options';
import { namedStatement } from './query-result';
import { RequestDeadline, requestDeadlines } from './request-deadline';
import { SqlPort } from './sql';

/**
 * The request deadline is part of the port: every statement, entity-manager call and transaction that goes
 * through `SqlPort` answers to it, COMMIT included, on a real PostgreSQL (a copy of the run's template).
 */
describe('SqlPort under the request deadline', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataSource: DataSource;
  let sql: SqlPort;
  let outside: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = new DataSource(dataSourceOptions({ url: database.url, poolSize: 4 }));
    await dataSource.initialize();
    sql = new SqlPort(dataSource);
    outside = new Client({ connectionString: database.url });
    await outside.connect();
    await outside.query('CREATE TABLE deadline_notes (id int PRIMARY KEY, body text NOT NULL)');
  });

  afterAll(async () => {
    await outside?.end();
    await dataSource?.destroy();
    await database?.drop();
  });

  beforeEach(async () => {
    await outside.query('TRUNCATE deadline_notes');
  });

  const notes = async () =>
    (await outside.query<{ id: number }>('SELECT id FROM deadline_notes ORDER BY id')).rows.map((r) => r.id);

  /** A request's deadline; `expired` counts how often the request was answered 503. */
  function request() {
    const answered = { expired: 0 };
    const deadline = new RequestDeadline(1000, () => (answered.expired += 1));
    return { deadline, answered, run: <T>(work: () => Promise<T>) => requestDeadlines.run(deadline, work) };
  }

  it('runs statements outside a request, and within one before its deadline', async () => {
    await sql.exec('INSERT INTO deadline_notes (id, body) VALUES (1, $1)', ['outside']);
    const { run, answered } = request();
    await run(() => sql.exec('INSERT INTO deadline_notes (id, body) VALUES (2, $1)', ['inside']));
    expect(await notes()).toEqual([1, 2]);
    expect(answered.expired).toBe(0);
  });

  it('refuses every statement after the deadline: plain, named, and through the entity manager', async () => {
    const { run, deadline, answered } = request();
    deadline.expireWhenSafe();
    expect(answered.expired).toBe(1);
    await expect(
      run(() => sql.exec("INSERT INTO deadline_notes (id, body) VALUES (1, 'late')")),
    ).rejects.toBeInstanceOf(RequestDeadlineError);
    const named = namedStatement('spec_deadline_notes', 'SELECT count(*)::int AS n FROM deadline_notes');
    await expect(run(() => sql.one(named))).rejects.toBeInstanceOf(RequestDeadlineError);
    await expect(
      run(() => sql.manager.query("INSERT INTO deadline_notes (id, body) VALUES (2, 'late')")),
    ).rejects.toBeInstanceOf(RequestDeadlineError);
    await expect(run(() => sql.transaction(async () => undefined))).rejects.toBeInstanceOf(RequestDeadlineError);
    expect(await notes()).toEqual([]);
    // The same port serves the next request as usual.
    expect(await sql.one(named)).toEqual({ n: 0 });
  });

  it('rolls back a transaction whose deadline passes before COMMIT, and gives its connection back', async () => {
    const { run, deadline, answered } = request();
    const outcome = run(() =>
      sql.transaction(async (tx, manager) => {
        await tx.exec("INSERT INTO deadline_notes (id, body) VALUES (1, 'written')");
        await manager.query("INSERT INTO deadline_notes (id, body) VALUES (2, 'written by the manager')");
        // The time runs out while the transaction is still working: nothing is committing, so it expires at once.
        deadline.expireWhenSafe();
        return 'done';
      }),
    );
    await expect(outcome).rejects.toBeInstanceOf(RequestDeadlineError);
    expect(answered.expired).toBe(1);
    expect(await notes()).toEqual([]);
    // No connection was kept: all four of the pool's connections can be held at once.
    await Promise.all([1, 2, 3, 4].map(() => sql.transaction((tx) => tx.rows('SELECT pg_sleep(0.05)'))));
  });

  it('refuses a statement inside a transaction once the deadline has passed, and rolls it back', async () => {
    const { run, deadline } = request();
    const outcome = run(() =>
      sql.transaction(async (tx) => {
        await tx.exec("INSERT INTO deadline_notes (id, body) VALUES (1, 'first')");
        deadline.expireWhenSafe();
        await tx.exec("INSERT INTO deadline_notes (id, body) VALUES (2, 'second')");
      }),
    );
    await expect(outcome).rejects.toBeInstanceOf(RequestDeadlineError);
    expect(await notes()).toEqual([]);
  });

  it('cancels a write still waiting on a lock when the deadline passes: it takes no effect', async () => {
    await outside.query("INSERT INTO deadline_notes (id, body) VALUES (1, 'before')");
    const locker = new Client({ connectionString: database.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT * FROM deadline_notes WHERE id = 1 FOR UPDATE');
      const { run, deadline, answered } = request();
      const write = run(() => sql.exec("UPDATE deadline_notes SET body = 'after' WHERE id = 1"));
      await new Promise((resolve) => setTimeout(resolve, 300));
      deadline.expireWhenSafe();
      await expect(write).rejects.toMatchObject({ driverError: { code: '57014' } });
      expect(answered.expired).toBe(1);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    expect((await outside.query('SELECT body FROM deadline_notes WHERE id = 1')).rows).toEqual([{ body: 'before' }]);
  });

  it('answers the real outcome of a transaction that committed before the deadline passed', async () => {
    const { run, deadline, answered } = request();
    await run(() => sql.transaction((tx) => tx.exec("INSERT INTO deadline_notes (id, body) VALUES (1, 'kept')")));
    deadline.expireWhenSafe();
    expect(answered.expired).toBe(0);
    expect(await notes()).toEqual([1]);
  });
});
