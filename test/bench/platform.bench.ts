import type { Bench } from './run';
import {
  BenchEnvironment,
  BenchRow,
  errorsRow,
  fmt,
  LoadResult,
  measuredLoad,
  medianLoad,
  ratio,
  RunningProcess,
} from './harness';

const MEMBERS = 60;
const POSTS = 20;
// `PLATFORM_BENCH_ONLY=me` or `=read` runs one figure (the ceiling is always measured).
const ONLY = (process.env.PLATFORM_BENCH_ONLY ?? 'me,read').split(',');

async function seed(env: BenchEnvironment) {
  const [community] = await env.query<{ id: string }>(
    `INSERT INTO communities (slug, name, region) VALUES ('platform-cop', 'Platform CoP', 'north_west') RETURNING id`,
  );
  const users = await env.query<{ id: string }>(
    `INSERT INTO users (email, password_hash, display_name, profession, career_stage, region, email_verified_at)
     SELECT 'member' || g || '@example.nhs.net', 'x', 'Member ' || g, 'PWP', 'qualified', 'north_west', now()
       FROM generate_series(1, $1) g RETURNING id`,
    [MEMBERS],
  );
  await env.query(
    `INSERT INTO memberships (community_id, user_id, status, role) SELECT $1, id, 'approved', 'member' FROM users`,
    [community.id],
  );
  const [category] = await env.query<{ id: string }>(
    `INSERT INTO forum_categories (community_id, name) VALUES ($1, 'General') RETURNING id`,
    [community.id],
  );
  const [thread] = await env.query<{ id: string }>(
    `INSERT INTO forum_threads (community_id, category_id, author_id, title, post_count, last_post_at)
     VALUES ($1, $2, $3, 'Read me', $4, now()) RETURNING id`,
    [community.id, category.id, users[0].id, POSTS],
  );
  await env.query(
    `INSERT INTO forum_posts (community_id, thread_id, post_number, author_id, body_source, body_html, body_text, reaction_counts)
     SELECT $1, $2, g, $3, 'Post ' || g || ' with **some** text', '<p>Post ' || g || ' with <strong>some</strong> text</p>',
            'Post ' || g || ' with some text', '{"like": 3}'
       FROM generate_series(1, $4) g`,
    [community.id, thread.id, users[1].id, POSTS],
  );
  await env.query('ANALYZE');
  return { users, thread: thread.id };
}

/** Authenticated GETs, each request with the next member's token. */
function authenticatedLoad(server: RunningProcess, path: string, tokens: string[], connections: number) {
  let n = 0;
  return measuredLoad(server, {
    url: `${server.url}${path}`,
    connections,
    duration: 8,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => ({
          ...request,
          headers: { ...request.headers, authorization: `Bearer ${tokens[(n += 1) % tokens.length]}` },
        }),
      },
    ],
  });
}

const cpu = (result: LoadResult) => `${fmt(result.cpuMsPerRequest ?? NaN, 3)} ms`;
const trips = (result: LoadResult) => `${fmt(result.queriesPerRequest ?? NaN, 1)} PG round trips`;

/**
 * The fixed cost of a request: a bare Nest + Fastify "hello" (the ceiling), then `GET /api/v1/me`
 * and a thread page read on the API, each with the API's CPU per request from `/proc`, PostgreSQL
 * round trips per request and the ratio to the ceiling. `node -r @swc-node/register test/bench/run.ts platform`.
 */
export const platformBench: Bench = {
  name: 'platform',
  async run(): Promise<BenchRow[]> {
    const env = await BenchEnvironment.start();
    try {
      const seeded = await seed(env);
      const tokens = await env.accessTokens(seeded.users);
      const ceiling = await env.startCeiling();
      const api = await env.startApi({}, { countQueries: true });
      const rows: BenchRow[] = [];

      // Warm both up (JIT, pools, caches) before anything is measured, at the measured concurrency:
      // the API's heap grows to its working size under 50 connections (several full collections on
      // the way), which would otherwise land in the first measured run.
      await measuredLoad(ceiling, { url: `${ceiling.url}/hello`, connections: 50, duration: 3 });
      await authenticatedLoad(api, `/api/v1/threads/${seeded.thread}/posts?limit=${POSTS}`, tokens, 50);

      const hello = await medianLoad(3, () =>
        measuredLoad(ceiling, { url: `${ceiling.url}/hello`, connections: 50, duration: 8 }),
      );
      const ceilingCpu = hello.cpuMsPerRequest ?? NaN;
      rows.push(
        {
          figure: 'ceiling: bare Nest + Fastify hello req/s, 50 connections',
          target: '-',
          measured: fmt(hello.rps),
          ok: null,
          ratio: '×1.0',
        },
        { figure: 'ceiling: CPU per request', target: '-', measured: cpu(hello), ok: null, ratio: '×1.0' },
      );

      if (ONLY.includes('me')) {
        const me = await medianLoad(3, () => authenticatedLoad(api, '/api/v1/me', tokens, 10));
        rows.push(
          {
            figure: 'GET /api/v1/me API CPU per request, 10 connections',
            target: '<= 0.3 ms',
            measured: `${cpu(me)} (${fmt(me.rps)} req/s, ${trips(me)})`,
            ok: (me.cpuMsPerRequest ?? Infinity) <= 0.3,
            ratio: ratio(me.cpuMsPerRequest ?? NaN, ceilingCpu),
          },
          errorsRow('GET /api/v1/me', me),
        );
      }

      if (ONLY.includes('read')) {
        let peakRss = 0;
        const sampler = setInterval(() => (peakRss = Math.max(peakRss, api.rssMb())), 250);
        const path = `/api/v1/threads/${seeded.thread}/posts?limit=${POSTS}`;
        const read = await medianLoad(3, () => authenticatedLoad(api, path, tokens, 50));
        clearInterval(sampler);
        rows.push(
          {
            figure: `thread page read (${POSTS} posts) req/s, 50 connections`,
            target: '>= 2,000',
            measured: fmt(read.rps),
            ok: read.rps >= 2000,
            ratio: ratio(read.rps, hello.rps),
          },
          { figure: 'thread page read p99', target: '< 50 ms', measured: `${fmt(read.p99)} ms`, ok: read.p99 < 50 },
          {
            figure: 'thread page read API CPU per request',
            target: '<= 0.5 ms',
            measured: `${cpu(read)} (${trips(read)})`,
            ok: (read.cpuMsPerRequest ?? Infinity) <= 0.5,
            ratio: ratio(read.cpuMsPerRequest ?? NaN, ceilingCpu),
          },
          errorsRow('thread page read', read),
          {
            figure: 'API RSS under thread-read load (peak)',
            target: '< 250 MB',
            measured: `${fmt(peakRss)} MB`,
            ok: peakRss < 250,
          },
        );
      }
      return rows;
    } finally {
      await env.close();
    }
  },
};
