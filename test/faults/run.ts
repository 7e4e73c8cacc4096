import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  FaultSmtp,
  migrate,
  PrivatePostgres,
  PrivateRedis,
  productEnv,
  ProductProcess,
  Scenario,
  sleep,
  startProcess,
  tokenFor,
  until,
  World,
} from './cluster';
import { redisStopped, smtpDown, twoWorkers, workerKilledMidBurst } from './mail-scenarios';

/**
 * `npm run test:faults`: the product against its own PostgreSQL cluster and redis-server, with API
 * and worker processes as children, while faults are injected. Each scenario prints its counts and
 * fails the run when a promise is broken. `npm run test:faults -- <scenario> ...` runs some only.
 */

type Answer = { status: number; replayed: boolean; body: { id?: string } } | { error: string };

async function postWithKey(url: string, token: string, threadId: string, body: string, key: string): Promise<Answer> {
  try {
    const res = await fetch(`${url}/api/v1/threads/${threadId}/posts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ body }),
      signal: AbortSignal.timeout(30_000),
    });
    return { status: res.status, replayed: res.headers.get('idempotent-replayed') === 'true', body: await res.json() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Posts until acknowledged, retrying with the same key after network errors, 5xx and 409 in-flight. */
async function postUntilAcknowledged(
  urls: string[],
  token: string,
  threadId: string,
  body: string,
  counts: Record<string, number>,
) {
  const key = randomUUID();
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const answer = await postWithKey(urls[attempt % urls.length], token, threadId, body, key);
    if ('error' in answer) counts.networkErrors += 1;
    else if (answer.status === 201) {
      if (answer.replayed) counts.replays += 1;
      return answer.body.id as string;
    } else if (answer.status === 503) counts.answered503 += 1;
    else if (answer.status === 409) counts.answered409 += 1;
    else if (answer.status >= 500) counts.answered5xx += 1;
    else throw new Error(`unexpected ${answer.status}: ${JSON.stringify(answer.body)}`);
    await sleep(200 + Math.random() * 300);
  }
  throw new Error('never acknowledged');
}

const postgresRestart: Scenario = {
  name: 'postgres-restart',
  async run(world) {
    const apis = [await startProcess('api', world.env), await startProcess('api', world.env)];
    const token = await tokenFor(world.pg, world.env, world.memberId);
    const counts = { acknowledged: 0, networkErrors: 0, answered503: 0, answered409: 0, answered5xx: 0, replays: 0 };
    const tag = randomUUID().slice(0, 8);
    const acknowledged: string[] = [];
    const stopAt = Date.now() + 10_000;
    const clients = Array.from({ length: 16 }, async (_, c) => {
      for (let i = 0; Date.now() < stopAt; i += 1) {
        acknowledged.push(
          await postUntilAcknowledged(
            apis.map((a) => a.url),
            token,
            world.threadId,
            `pg-restart ${tag} ${c}-${i}`,
            counts,
          ),
        );
        counts.acknowledged += 1;
      }
    });
    await sleep(3_000);
    const restartedAt = Date.now();
    world.pg.ctl('restart');
    const restartMs = Date.now() - restartedAt;
    await Promise.all(clients);
    const rows = await world.pg.query<{ id: string; body_source: string }>(
      `SELECT id, body_source FROM forum_posts WHERE body_source LIKE $1`,
      [`pg-restart ${tag} %`],
    );
    const ids = new Set(rows.map((r) => r.id));
    const lost = acknowledged.filter((id) => !ids.has(id)).length;
    const duplicates = rows.length - new Set(rows.map((r) => r.body_source)).size;
    const exited = apis.filter((a) => a.child.exitCode !== null);
    for (const api of apis) api.child.kill('SIGKILL');
    if (lost || duplicates || counts.answered5xx || exited.length) {
      throw new Error(
        `lost ${lost}, duplicates ${duplicates}, 5xx other than 503 ${counts.answered5xx}, APIs exited ${exited.length}` +
          exited.map((a) => `\n     exit ${a.child.exitCode}: ${a.output().slice(-1500)}`).join(''),
      );
    }
    return [
      `restart took ${restartMs} ms; ${counts.acknowledged} posts acknowledged, ${rows.length} stored, 0 lost, 0 duplicates`,
      `during the restart: ${counts.answered503} answered 503 (Retry-After), ${counts.networkErrors} network errors, ` +
        `${counts.answered409} 409 in flight, ${counts.replays} retries answered from the stored response`,
    ];
  },
};

const sigtermUnderLoad: Scenario = {
  name: 'sigterm-under-load',
  async run(world) {
    // A pool large enough that every held write waits on the lock itself rather than for a connection.
    const api = await startProcess('api', {
      ...world.env,
      SHUTDOWN_TIMEOUT_MS: '10000',
      DATABASE_POOL_SIZE: '70',
      DATABASE_LOCK_TIMEOUT_MS: '30000',
    });
    const token = await tokenFor(world.pg, world.env, world.memberId);
    const tag = randomUUID().slice(0, 8);
    // 60 writes held in flight by a row lock taken here, SIGTERM while they wait, the lock freed 1 s later.
    const locker = new Client({ connectionString: world.pg.url() });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('SELECT id FROM forum_threads WHERE id = $1 FOR UPDATE', [world.threadId]);
    const inFlight = Array.from({ length: 60 }, (_, i) =>
      postWithKey(api.url, token, world.threadId, `sigterm ${tag} ${i}`, randomUUID()),
    );
    // In flight means the API has them: wait until all 60 are blocked on the lock in PostgreSQL (a fixed
    // pause is not enough on a busy machine, where requests not yet read would be refused, not drained).
    await until(async () => {
      const [{ n }] = await world.pg.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name = 'cophub-api'`,
      );
      return Number(n) >= 60;
    }, 'the 60 writes to wait on the lock');
    const signalled = Date.now();
    api.child.kill('SIGTERM');
    await sleep(1_000);
    await locker.query('ROLLBACK');
    await locker.end();
    const answers = await Promise.all(inFlight);
    const exit = await api.exited;
    const ok = answers.filter((a) => 'status' in a && a.status === 201).length;
    const failed = answers.length - ok;
    const [{ n }] = await world.pg.query<{ n: string }>(
      'SELECT count(*) AS n FROM forum_posts WHERE body_source LIKE $1',
      [`sigterm ${tag} %`],
    );
    const exitMs = exit.at - signalled;
    if (failed || Number(n) !== ok || exit.code !== 0 || exitMs > 10_000) {
      throw new Error(
        `${failed} of ${answers.length} in-flight requests failed, ${n} stored, exit ${exit.code} after ${exitMs} ms: ${JSON.stringify(answers.filter((a) => !('status' in a) || a.status !== 201).slice(0, 3))}`,
      );
    }
    return [
      `${answers.length} requests in flight at SIGTERM: ${ok} completed with 201, ${n} stored; exited 0 after ${exitMs} ms (deadline 10000)`,
    ];
  },
};

/** Streams a multipart upload slowly, so the process can be killed in the middle of it. */
function slowUpload(url: string, token: string, slug: string): { abort: () => void; done: Promise<unknown> } {
  const boundary = `----faults${Date.now()}`;
  const req = request(`${url}/api/v1/communities/${slug}/resources`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
  const done = new Promise((resolve) => {
    req.on('response', resolve);
    req.on('error', resolve);
  });
  req.write(`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nKilled upload\r\n`);
  req.write(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n`,
  );
  const timer = setInterval(() => req.write(Buffer.alloc(64 * 1024, 0x20)), 50);
  return {
    abort: () => {
      clearInterval(timer);
      req.destroy();
    },
    done,
  };
}

function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath ?? '', e.name));
  } catch {
    return [];
  }
}

const killedUpload: Scenario = {
  name: 'killed-upload',
  async run(world) {
    const storage = mkdtempSync(join(tmpdir(), 'cophub-faults-files-'));
    const env = { ...world.env, STORAGE_DIR: storage };
    const token = await tokenFor(world.pg, world.env, world.coChairId);
    let api: ProductProcess = await startProcess('api', env);
    const upload = slowUpload(api.url, token, world.communitySlug);
    await until(() => filesUnder(join(storage, 'tmp')).length > 0, 'the upload to start staging');
    await sleep(500);
    api.child.kill('SIGKILL');
    await api.exited;
    upload.abort();
    const orphansAfterKill = filesUnder(join(storage, 'tmp')).length;
    api = await startProcess('api', env);
    const orphansAfterRestart = filesUnder(join(storage, 'tmp')).length;
    api.child.kill('SIGKILL');
    rmSync(storage, { recursive: true, force: true });
    if (orphansAfterKill === 0 || orphansAfterRestart !== 0) {
      throw new Error(`partial files: ${orphansAfterKill} after the kill, ${orphansAfterRestart} after restart`);
    }
    return [`API SIGKILLed mid-upload left ${orphansAfterKill} partial file(s); after restart: ${orphansAfterRestart}`];
  },
};

const fullDisk: Scenario = {
  name: 'full-disk',
  async run(world) {
    const storage = mkdtempSync(join(tmpdir(), 'cophub-faults-disk-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', storage], { stdio: 'ignore' });
    } catch {
      rmSync(storage, { recursive: true, force: true });
      return [
        'skipped: cannot mount a tmpfs here (needs root); the e2e test upload-faults covers the same with a mount',
      ];
    }
    try {
      const api = await startProcess('api', { ...world.env, STORAGE_DIR: storage, LOG_LEVEL: 'error' });
      const boundary = '----fulldisk';
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nToo big\r\n`),
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n`,
        ),
        Buffer.alloc(1024 * 1024, 0x20),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const res = await fetch(`${api.url}/api/v1/communities/${world.communitySlug}/resources`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await tokenFor(world.pg, world.env, world.coChairId)}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        body,
      });
      const answer = (await res.json()) as { errorId?: string };
      // Logs are flushed on exit: stop it cleanly, then read what it wrote.
      api.child.kill('SIGTERM');
      await api.exited;
      const logged = api.output().includes(String(answer.errorId)) && /"level":50|"level":"error"/.test(api.output());
      const left = filesUnder(storage).length;
      if (res.status !== 507 || !answer.errorId || !logged || left) {
        throw new Error(`status ${res.status}, error id ${answer.errorId}, logged ${logged}, files left ${left}`);
      }
      return [
        `1 MiB upload onto a 512 KiB disk: 507 with error id ${answer.errorId}, logged at error level, ${left} files left`,
      ];
    } finally {
      execFileSync('umount', [storage]);
      rmSync(storage, { recursive: true, force: true });
    }
  },
};

const SCENARIOS: Scenario[] = [
  sigtermUnderLoad,
  killedUpload,
  fullDisk,
  postgresRestart,
  redisStopped,
  workerKilledMidBurst,
  twoWorkers,
  smtpDown,
];

/** Members for load in the main community, and of the community a poll is opened to in bulk. */
const READERS = Number(process.env.FAULTS_READERS ?? 200);
const BURST = Number(process.env.FAULTS_BURST ?? 2000);

/** `count` members with emails `<prefix>N@example.nhs.net` and display names `<Name> N` (handle `<Name>N`). */
async function addMembers(pg: PrivatePostgres, communityId: string, prefix: string, name: string, count: number) {
  const rows = await pg.query<{ id: string; n: number }>(
    `INSERT INTO users (email, password_hash, display_name, profession, career_stage, region, organisation, email_verified_at)
     SELECT $1 || g || '@example.nhs.net', 'x', $2 || ' ' || g, 'PWP', 'qualified', 'north_west', 'Trust', now()
       FROM generate_series(1, $3) g
     RETURNING id, substring(email from '(\\d+)@')::int AS n`,
    [prefix, name, count],
  );
  await pg.query(
    `INSERT INTO memberships (community_id, user_id, status, role) SELECT $1, id, 'approved', 'member' FROM unnest($2::uuid[]) id`,
    [communityId, rows.map((r) => r.id)],
  );
  return rows.sort((a, b) => a.n - b.n).map((r) => ({ id: r.id, handle: `${name}${r.n}` }));
}

async function setUp(): Promise<World> {
  const pg = await PrivatePostgres.start();
  const redis = await PrivateRedis.start();
  const sink = await FaultSmtp.start();
  const env = productEnv(pg, redis, { SMTP_URL: sink.url });
  migrate(env);
  const [community] = await pg.query<{ id: string; slug: string }>(
    `INSERT INTO communities (slug, name, region) VALUES ('faults', 'Fault CoP', 'north_west') RETURNING id, slug`,
  );
  const user = async (role: string) => {
    const [row] = await pg.query<{ id: string }>(
      `INSERT INTO users (email, password_hash, display_name, profession, career_stage, region, organisation, email_verified_at)
       VALUES ($1, 'x', $2, 'PWP', 'qualified', 'north_west', 'Trust', now()) RETURNING id`,
      [`${role}-${randomUUID().slice(0, 8)}@example.nhs.net`, `Fault ${role}`],
    );
    await pg.query(`INSERT INTO memberships (community_id, user_id, status, role) VALUES ($1, $2, 'approved', $3)`, [
      community.id,
      row.id,
      role,
    ]);
    return row.id;
  };
  const memberId = await user('member');
  const coChairId = await user('co_chair');
  const readers = await addMembers(pg, community.id, 'reader', 'Reader', READERS);
  const [burst] = await pg.query<{ id: string; slug: string }>(
    `INSERT INTO communities (slug, name, region) VALUES ('burst', 'Burst CoP', 'north_west') RETURNING id, slug`,
  );
  await addMembers(pg, burst.id, 'burst', 'Burst', BURST);
  const [burstChair] = await pg.query<{ id: string }>(
    `INSERT INTO users (email, password_hash, display_name, profession, career_stage, region, organisation, email_verified_at)
     VALUES ('burst-chair@example.nhs.net', 'x', 'Burst Chair', 'PWP', 'qualified', 'north_west', 'Trust', now()) RETURNING id`,
  );
  await pg.query(
    `INSERT INTO memberships (community_id, user_id, status, role) VALUES ($1, $2, 'approved', 'co_chair')`,
    [burst.id, burstChair.id],
  );
  const [category] = await pg.query<{ id: string }>(
    `INSERT INTO forum_categories (community_id, name, position) VALUES ($1, 'General', 0) RETURNING id`,
    [community.id],
  );
  const api = await startProcess('api', env);
  const res = await fetch(`${api.url}/api/v1/communities/${community.slug}/threads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await tokenFor(pg, env, memberId)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ categoryId: category.id, title: 'Fault thread', body: 'Start' }),
  });
  const thread = (await res.json()) as { id: string };
  api.child.kill('SIGKILL');
  if (!thread.id) throw new Error(`set-up failed: ${JSON.stringify(thread)}`);
  return {
    pg,
    redis,
    sink,
    env,
    communitySlug: community.slug,
    threadId: thread.id,
    memberId,
    coChairId,
    readers,
    burstSlug: burst.slug,
    burstChairId: burstChair.id,
    burstSize: BURST,
  };
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const selected = only.length ? SCENARIOS.filter((s) => only.includes(s.name)) : SCENARIOS;
  const started = Date.now();
  const world = await setUp();
  let failed = 0;
  try {
    for (const scenario of selected) {
      const t = Date.now();
      try {
        const lines = await scenario.run(world);
        console.log(`ok   ${scenario.name} (${Date.now() - t} ms)\n     ${lines.join('\n     ')}`);
      } catch (error) {
        failed += 1;
        console.log(`FAIL ${scenario.name} (${Date.now() - t} ms)\n     ${(error as Error).message}`);
      }
    }
  } finally {
    await world.redis.stop();
    world.pg.stop();
    await world.sink.down();
  }
  console.log(
    `fault suite: ${selected.length - failed} of ${selected.length} scenarios held, ${Math.round((Date.now() - started) / 1000)} s`,
  );
  process.exit(failed ? 1 : 0);
}

void main();
