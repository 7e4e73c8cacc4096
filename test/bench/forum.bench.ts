import { performance } from 'node:perf_hooks';
import type { Socket } from 'socket.io-client';
import { connectSocket } from '@cophub/testing';
import type { Bench } from './run';
import {
  BenchEnvironment,
  BenchRow,
  fmt,
  load,
  measuredLoad,
  medianLoad,
  percentile,
  ratio,
  RunningProcess,
} from './harness';
import { AccessTokenService } from '@cophub/identity';

const MEMBERS = 200;
// Overridable for quick local profiling; the reported figures use the defaults.
const CORPUS_POSTS = Number(process.env.FORUM_BENCH_CORPUS_POSTS ?? 200_000);
// Sections: read, write (50 threads), hot (one thread), trips (round trips per reply), search, fanout.
const ONLY = (process.env.FORUM_BENCH_ONLY ?? 'read,write,hot,trips,search,fanout').split(',');
const DOCUMENTS = 2_000;
const CORPUS_THREADS = 2_000;
const SOCKETS = 2_000;
const FANOUT_POSTS = 20;
const WRITE_THREADS = 50;
const SEARCHES = 300;

// Words for the seeded corpus. Index i is drawn with probability falling off with i (random()^2), so
// the first words are common, later ones rarer, as in real text.
const VOCABULARY = (
  'supervision practitioner wellbeing therapy session client referral assessment waiting list anxiety depression ' +
  'guided self-help cbt step recovery outcome caseload service team training trainee qualified senior clinical ' +
  'lead school pupil parent teacher education support community adult mental health worker role progression ' +
  'career band salary network council workforce policy representation opinion survey poll meeting agenda notes ' +
  'minutes calendar event resource guide leaflet protocol risk safeguarding consent confidentiality record note ' +
  'letter discharge relapse prevention goal measure phq gad score session-rating alliance feedback reflective ' +
  'practice competence framework curriculum university placement induction preceptorship mentor coach group ' +
  'workshop webinar conference region london midlands north south east west yorkshire england nhs trust ' +
  'commissioner budget funding post vacancy recruitment retention burnout wellbeing-day leave rota shift remote ' +
  'telephone video face digital platform app booking triage intake screening signpost partner charity voluntary ' +
  'housing employment benefit debt sleep panic worry rumination behavioural activation exposure hierarchy ' +
  'thought record formulation psychoeducation homework relapse-plan transition child young person family ' +
  'carer primary secondary care gp surgery practice manager admin system template audit data dashboard'
)
  .split(' ')
  .concat(Array.from({ length: 3000 }, (_, i) => `term${i}`));

export async function seed(env: BenchEnvironment) {
  const [community] = await env.query<{ id: string; slug: string }>(
    `INSERT INTO communities (slug, name, region) VALUES ('bench-cop', 'Bench CoP', 'north_west') RETURNING id, slug`,
  );
  await env.query(
    `INSERT INTO users (email, password_hash, display_name, profession, career_stage, region, email_verified_at)
     SELECT 'member' || g || '@example.nhs.net', 'x', 'Member ' || g, 'PWP', 'qualified', 'north_west', now()
       FROM generate_series(1, $1) g`,
    [MEMBERS],
  );
  await env.query(
    `INSERT INTO memberships (community_id, user_id, status, role)
     SELECT $1, id, 'approved', 'member' FROM users`,
    [community.id],
  );
  const users = await env.query<{ id: string }>('SELECT id FROM users ORDER BY email');
  const [category] = await env.query<{ id: string }>(
    `INSERT INTO forum_categories (community_id, name) VALUES ($1, 'General') RETURNING id`,
    [community.id],
  );
  // Corpus threads, then 200,000 posts in one INSERT ... SELECT (the generated tsvector is computed on insert).
  await env.query(
    `INSERT INTO forum_threads (community_id, category_id, author_id, title, post_count, last_post_at)
     SELECT $1, $2, $3, 'Corpus thread ' || g, $5, now() - (g || ' minutes')::interval FROM generate_series(1, $4) g`,
    [community.id, category.id, users[0].id, CORPUS_THREADS, CORPUS_POSTS / CORPUS_THREADS],
  );
  const started = Date.now();
  await env.query(
    `WITH threads AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM forum_threads),
          vocab AS (SELECT $3::text[] AS words, cardinality($3::text[]) AS size)
     INSERT INTO forum_posts (community_id, thread_id, post_number, author_id, body_source, body_html, body_text, created_at)
     SELECT $1, t.id, (g / $4) + 1, $5, body, '<p>' || body || '</p>', body, now() - (g || ' seconds')::interval
       FROM generate_series(0, $2 - 1) g
       JOIN threads t ON t.n = g % $4
      CROSS JOIN LATERAL (
        SELECT string_agg(v.words[1 + floor(v.size * random() ^ 2)::int], ' ') AS body
          FROM vocab v, generate_series(1, 25 + (g % 20)) w
         WHERE g >= 0
      ) b`,
    [community.id, CORPUS_POSTS, VOCABULARY, CORPUS_THREADS, users[1].id],
  );
  const seedSeconds = (Date.now() - started) / 1000;

  // Threads for the HTTP figures: one to read (40 posts), fifty to write into, one for fan-out.
  const makeThread = async (title: string, posts: number) => {
    const [thread] = await env.query<{ id: string }>(
      `INSERT INTO forum_threads (community_id, category_id, author_id, title, post_count, last_post_at)
       VALUES ($1, $2, $3, $4, $5, now()) RETURNING id`,
      [community.id, category.id, users[0].id, title, posts],
    );
    if (posts) {
      await env.query(
        `INSERT INTO forum_posts (community_id, thread_id, post_number, author_id, body_source, body_html, body_text, reaction_counts)
         SELECT $1, $2, g, $3, 'Post ' || g || ' with **some** text', '<p>Post ' || g || ' with <strong>some</strong> text</p>',
                'Post ' || g || ' with some text', '{"like": 3}'
           FROM generate_series(1, $4) g`,
        [community.id, thread.id, users[2].id, posts],
      );
    }
    return thread.id;
  };
  const readThread = await makeThread('Read me', 40);
  const writeThreads: string[] = [];
  for (let i = 0; i < WRITE_THREADS; i += 1) writeThreads.push(await makeThread(`Write ${i}`, 1));
  const fanoutThread = await makeThread('Fan-out', 1);
  const hotThread = await makeThread('Hot', 1);
  // Watchers in the write threads, so each reply writes notifications too.
  await env.query(
    `INSERT INTO forum_subscriptions (user_id, thread_id, community_id, level)
     SELECT u.id, t.id, $1, 'watching' FROM (SELECT id FROM users ORDER BY email LIMIT 5) u, unnest($2::uuid[]) t(id)`,
    [community.id, [...writeThreads, hotThread]],
  );
  if (ONLY.includes('search')) {
    // 2,000 document-sized resources (about 1,500 words of extracted text each) for the unified search.
    await env.query(
      `WITH vocab AS (SELECT $3::text[] AS words, cardinality($3::text[]) AS size)
       INSERT INTO resources (community_id, title, description, body_text, tags, created_by, current_version_no)
       SELECT $1, 'Guide ' || g, d.description, d.body, ARRAY['guide'], $2, 1
         FROM generate_series(1, $4) g
        CROSS JOIN LATERAL (
          SELECT string_agg(v.words[1 + floor(v.size * random() ^ 2)::int], ' ') FILTER (WHERE w <= 30) AS description,
                 string_agg(v.words[1 + floor(v.size * random() ^ 2)::int], ' ') AS body
            FROM vocab v, generate_series(1, 1500) w
           WHERE g > 0
        ) d`,
      [community.id, users[0].id, VOCABULARY, DOCUMENTS],
    );
  }
  if (ONLY.includes('search')) {
    // The state search meets in production, where autovacuum has long since visited these tables: a
    // bulk insert leaves up to gin_pending_list_limit (4 MB) of unsorted GIN entries that every
    // search scans, which only VACUUM (or autovacuum, not a manual ANALYZE) merges; and it sets the
    // hint bits that the first reads would otherwise write.
    await env.query('VACUUM (ANALYZE) forum_posts, forum_threads, resources');
  }
  await env.query('ANALYZE');
  return { community, users, readThread, writeThreads, fanoutThread, hotThread, seedSeconds };
}

async function fanOut(apis: RunningProcess[], tokens: string[], threadId: string, poster: string) {
  const sockets: Socket[] = [];
  try {
    for (let i = 0; i < SOCKETS; i += 100) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(100, SOCKETS - i) }, (_, j) =>
          connectSocket(apis[(i + j) % apis.length].url, tokens[(i + j) % tokens.length], 20_000),
        ),
      );
      await Promise.all(batch.map((s) => s.timeout(20_000).emitWithAck('join', `thread:${threadId}`)));
      sockets.push(...batch);
    }
    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    let received = 0;
    const pending: Array<{ postId: string; at: number }> = [];
    for (const socket of sockets) {
      socket.on('post.created', (event: { postId: string }) => {
        const at = performance.now();
        received += 1;
        const start = sentAt.get(event.postId);
        if (start !== undefined) latencies.push(at - start);
        else pending.push({ postId: event.postId, at });
      });
    }
    for (let i = 0; i < FANOUT_POSTS; i += 1) {
      const start = performance.now();
      const response = await fetch(`${apis[0].url}/api/v1/threads/${threadId}/posts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${poster}` },
        body: JSON.stringify({ body: `fan-out ${i}` }),
      });
      const { id } = (await response.json()) as { id: string };
      sentAt.set(id, start);
      // Events that beat the HTTP response home.
      for (const p of pending.splice(0)) latencies.push(p.at - (sentAt.get(p.postId) ?? p.at));
      await new Promise((r) => setTimeout(r, 500));
    }
    await new Promise((r) => setTimeout(r, 2_000));
    return { latencies, expected: SOCKETS * FANOUT_POSTS, received };
  } finally {
    sockets.forEach((s) => s.disconnect());
  }
}

/** Sequential searches with their latency, and the API's and PostgreSQL's CPU per search. */
async function searchCosts(
  env: BenchEnvironment,
  api: RunningProcess,
  run: () => Promise<number[] & { errors?: number; warmUps?: number }>,
) {
  const [apiBefore, pgBefore] = [api.cpuMs(), await env.pgCpuMs()];
  const timings = await run();
  const [apiAfter, pgUsed] = [api.cpuMs(), await env.pgCpuMsSince(pgBefore)];
  return {
    p95: percentile(timings, 95),
    p50: percentile(timings, 50),
    errors: timings.errors ?? 0,
    apiCpu: (apiAfter - apiBefore) / (timings.length + (timings.warmUps ?? 0)),
    pgCpu: pgUsed / (timings.length + (timings.warmUps ?? 0)),
  };
}

async function searchTimings(base: string, path: string, queries: string[], tokens: string[]) {
  // Warm up once per query (first plans, cold pages), then sequential requests as one member sees them.
  for (const q of queries) {
    await (
      await fetch(`${base}${path}?q=${encodeURIComponent(q)}`, { headers: { authorization: `Bearer ${tokens[0]}` } })
    ).arrayBuffer();
  }
  const timings: number[] & { errors?: number; warmUps?: number } = [];
  timings.errors = 0;
  timings.warmUps = queries.length;
  for (let i = 0; i < SEARCHES; i += 1) {
    const start = performance.now();
    const response = await fetch(`${base}${path}?q=${encodeURIComponent(queries[i % queries.length])}`, {
      headers: { authorization: `Bearer ${tokens[i % tokens.length]}` },
    });
    await response.arrayBuffer();
    if (!response.ok) timings.errors += 1;
    timings.push(performance.now() - start);
  }
  return timings;
}

/**
 * Round trips per reply, counted at the pg driver with the API running in this process (the compiled
 * API processes cannot be instrumented from outside), and the Markdown rendering cost of the bench's body.
 */
async function replyRoundTrips(env: BenchEnvironment, threadId: string, userId: string) {
  const { createApiApp } = await import('../../apps/api/src/app.factory');
  const { loadConfig } = await import('@cophub/core');
  const { renderPostBody } = await import('@cophub/forum');
  const { PgRoundTripCounter } = await import('@cophub/testing');
  const app = await createApiApp(loadConfig({ ...process.env, ...env.env, PORT: '0' }), { logs: false });
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  await env.startSessions([userId]);
  const token = app.get(AccessTokenService).sign({ id: userId, isAdmin: false, sessionId: userId });
  const counter = new PgRoundTripCounter(env.databaseName);
  const counts: number[] = [];
  try {
    for (let i = 0; i < 21; i += 1) {
      counter.take();
      const response = await fetch(`${url.replace('[::1]', '127.0.0.1')}/api/v1/threads/${threadId}/posts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ body: `Counting reply ${i} for @member1 with **Markdown**` }),
      });
      await response.arrayBuffer();
      if (response.status !== 201) throw new Error(`reply answered ${response.status}`);
      if (i > 0) counts.push(counter.take().count); // the first warms caches
    }
  } finally {
    counter.restore();
    await app.close();
  }
  const body = 'Reply 1 for @member2 with **Markdown** and a [link](https://example.org) and `code`';
  for (let i = 0; i < 200; i += 1) renderPostBody(body);
  const started = performance.now();
  for (let i = 0; i < 2_000; i += 1) renderPostBody(body);
  return {
    perReply: counts.reduce((a, b) => a + b, 0) / counts.length,
    max: Math.max(...counts),
    renderMs: (performance.now() - started) / 2_000,
  };
}

/**
 * Thread reads, post creation (mentions, notifications, outbox, fan-out), fan-out to 2,000 sockets
 * over two API instances and full-text search over 200,000 posts.
 */
export const forumBench: Bench = {
  name: 'forum',
  async run(): Promise<BenchRow[]> {
    const env = await BenchEnvironment.start();
    try {
      const seeded = await seed(env);
      const tokens = await env.accessTokens(seeded.users);
      const apiA = await env.startApi();
      const apiB = await env.startApi();
      const rows: BenchRow[] = [];

      // 0. The ceiling in the same run (a bare Nest + Fastify hello): ratios to it are what compare
      // runs on this noisy machine.
      let ceiling = NaN;
      let ceilingCpu = NaN;
      if (['read', 'write', 'hot'].some((section) => ONLY.includes(section))) {
        const hello = await env.startCeiling();
        await measuredLoad(hello, { url: `${hello.url}/hello`, connections: 10, duration: 3 });
        const measured = await medianLoad(3, () =>
          measuredLoad(hello, { url: `${hello.url}/hello`, connections: 50, duration: 8 }),
        );
        await hello.stop();
        ceiling = measured.rps;
        ceilingCpu = measured.cpuMsPerRequest ?? NaN;
        rows.push({
          figure: 'ceiling: bare Nest + Fastify hello req/s, 50 connections (CPU per request)',
          target: '-',
          measured: `${fmt(ceiling)} (${fmt(ceilingCpu, 3)} ms)`,
          ok: null,
          ratio: '×1.0',
        });
      }
      // 1. Thread page read, 50 connections, API RSS sampled throughout.
      if (ONLY.includes('read')) {
        let peakRss = 0;
        const sampler = setInterval(() => (peakRss = Math.max(peakRss, apiA.rssMb())), 250);
        let n = 0;
        const readLoad = () =>
          load({
            url: `${apiA.url}/api/v1/threads/${seeded.readThread}/posts?limit=20`,
            connections: 50,
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
        // A warm-up run at the measured concurrency first (JIT, and the heap growing to its working
        // size under 50 connections), as the platform bench does.
        await readLoad();
        const readCpu = apiA.cpuMs();
        const read = await medianLoad(3, readLoad);
        clearInterval(sampler);
        const readCpuPerRequest = (apiA.cpuMs() - readCpu) / read.runs.reduce((sum, r) => sum + r.total, 0);
        rows.push(
          {
            figure: 'thread page read (20 posts) req/s, 50 connections',
            target: '>= 2,000',
            measured: fmt(read.rps),
            ok: read.rps >= 2000,
            ratio: ratio(read.rps, ceiling),
          },
          { figure: 'thread page read p99', target: '< 50 ms', measured: `${fmt(read.p99)} ms`, ok: read.p99 < 50 },
          {
            figure: 'API CPU per thread page read (from /proc)',
            target: '<= 0.5 ms',
            measured: `${fmt(readCpuPerRequest, 2)} ms`,
            ok: readCpuPerRequest <= 0.5,
            ratio: ratio(readCpuPerRequest, ceilingCpu),
          },
          {
            figure: 'thread read errors / non-2xx',
            target: '0',
            measured: `${read.errors} / ${read.non2xx}`,
            ok: read.errors + read.non2xx === 0,
          },
          {
            figure: 'API RSS under thread-read load (peak)',
            target: '< 250 MB',
            measured: `${fmt(peakRss)} MB`,
            ok: peakRss < 250,
          },
        );
      }
      // 2. Post creation with a mention (notification + outbox row) and watchers, across 50 threads;
      // then into one hot thread, where every reply queues for the same thread row.
      const replies = async (threadFor: (w: number) => string) => {
        let w = 0;
        const cpuBefore = apiA.cpuMs();
        const pgBefore = await env.pgCpuMs();
        const result = await medianLoad(3, () =>
          load({
            url: apiA.url,
            connections: 20,
            duration: 8,
            requests: [
              {
                method: 'POST',
                setupRequest: (request) => {
                  w += 1;
                  return {
                    ...request,
                    path: `/api/v1/threads/${threadFor(w)}/posts`,
                    headers: {
                      ...request.headers,
                      'content-type': 'application/json',
                      authorization: `Bearer ${tokens[10 + (w % (tokens.length - 10))]}`,
                    },
                    body: JSON.stringify({ body: `Reply ${w} for @member${1 + (w % 5)} with **Markdown**` }),
                  };
                },
              },
            ],
          }),
        );
        const total = result.runs.reduce((sum, r) => sum + r.total, 0);
        const cpuPerReply = (apiA.cpuMs() - cpuBefore) / total;
        const pgCpuPerReply = (await env.pgCpuMsSince(pgBefore)) / total;
        return { ...result, cpuPerReply, pgCpuPerReply };
      };
      if (ONLY.includes('write')) {
        const write = await replies((w) => seeded.writeThreads[w % WRITE_THREADS]);
        rows.push(
          {
            figure: 'replies over 50 threads req/s (mention, notifications, outbox, fan-out), 20 connections',
            target: '>= 500',
            measured: fmt(write.rps),
            ok: write.rps >= 500,
            ratio: ratio(write.rps, ceiling),
          },
          {
            figure: 'CPU per reply over 50 threads: API / PostgreSQL backends (from /proc)',
            target: '-',
            measured: `${fmt(write.cpuPerReply, 2)} / ${fmt(write.pgCpuPerReply, 2)} ms`,
            ok: null,
            ratio: ratio(write.cpuPerReply, ceilingCpu),
          },
          {
            figure: 'replies over 50 threads p99',
            target: '< 100 ms',
            measured: `${fmt(write.p99)} ms`,
            ok: write.p99 < 100,
          },
          {
            figure: 'replies errors / non-2xx',
            target: '0',
            measured: `${write.errors} / ${write.non2xx}`,
            ok: write.errors + write.non2xx === 0,
          },
        );
      }
      if (ONLY.includes('hot')) {
        const hot = await replies(() => seeded.hotThread);
        rows.push(
          {
            figure: 'replies into one thread req/s, 20 connections',
            target: '>= 150',
            measured: `${fmt(hot.rps)} (p99 ${fmt(hot.p99)} ms)`,
            ok: hot.rps >= 150,
            ratio: ratio(hot.rps, ceiling),
          },
          {
            figure: 'CPU per reply into one thread: API / PostgreSQL backends (from /proc)',
            target: '-',
            measured: `${fmt(hot.cpuPerReply, 2)} / ${fmt(hot.pgCpuPerReply, 2)} ms`,
            ok: null,
            ratio: ratio(hot.cpuPerReply, ceilingCpu),
          },
          {
            figure: 'replies into one thread errors / non-2xx',
            target: '0',
            measured: `${hot.errors} / ${hot.non2xx}`,
            ok: hot.errors + hot.non2xx === 0,
          },
        );
      }
      if (ONLY.includes('trips')) {
        const trips = await replyRoundTrips(env, seeded.writeThreads[0], seeded.users[3].id);
        rows.push({
          figure: 'PostgreSQL round trips per reply (in-process count, 20 replies)',
          target: '<= 8',
          measured: `${fmt(trips.perReply, 1)} (max ${trips.max}) + ${fmt(trips.renderMs, 3)} ms Markdown render`,
          ok: trips.max <= 8,
        });
      }
      // 3. Search p95 over the 200,000-post corpus, sequential requests with mixed query shapes.
      if (ONLY.includes('search')) {
        const queries = [
          'supervision',
          'waiting list',
          'term150',
          'term2500 term40',
          '"guided self-help"',
          'anxiety -depression',
          'burnout retention',
          'term999',
          'phq gad',
          'safeguarding',
        ];
        const slug = seeded.community.slug;
        // The forum-only search, with no warm-up (as before), then the unified one (warmed up once per query).
        const forum = await searchCosts(env, apiA, async () => {
          const timings: number[] & { errors?: number } = [];
          timings.errors = 0;
          for (let i = 0; i < SEARCHES; i += 1) {
            const q = encodeURIComponent(queries[i % queries.length]);
            const start = performance.now();
            const response = await fetch(`${apiA.url}/api/v1/communities/${slug}/forum/search?q=${q}`, {
              headers: { authorization: `Bearer ${tokens[i % tokens.length]}` },
            });
            await response.arrayBuffer();
            if (!response.ok) timings.errors += 1;
            timings.push(performance.now() - start);
          }
          return timings;
        });
        const unified = await searchCosts(env, apiA, () =>
          searchTimings(
            apiA.url,
            `/api/v1/communities/${slug}/search`,
            [...queries, 'leaflet protocol', 'term2999'],
            tokens,
          ),
        );
        rows.push(
          {
            figure: `unified search p95 (${fmt(CORPUS_POSTS)} posts + ${fmt(DOCUMENTS)} documents, ${SEARCHES} mixed queries)`,
            target: '< 30 ms',
            measured: `${fmt(unified.p95, 1)} ms (p50 ${fmt(unified.p50, 1)})`,
            ok: unified.p95 < 30 && unified.errors === 0,
          },
          {
            figure: '  unified search CPU per request: API / PostgreSQL backends (from /proc)',
            target: '-',
            measured: `${fmt(unified.apiCpu, 2)} / ${fmt(unified.pgCpu, 2)} ms`,
            ok: null,
          },
          {
            figure: `forum search p95 over ${fmt(CORPUS_POSTS)} posts (${SEARCHES} queries, HTTP)`,
            target: '< 30 ms',
            measured: `${fmt(forum.p95, 1)} ms (p50 ${fmt(forum.p50, 1)})`,
            ok: forum.p95 < 30 && forum.errors === 0,
          },
          {
            figure: '  forum search CPU per request: API / PostgreSQL backends (from /proc)',
            target: '-',
            measured: `${fmt(forum.apiCpu, 2)} / ${fmt(forum.pgCpu, 2)} ms`,
            ok: null,
          },
          {
            figure: 'search corpus seeding (one INSERT ... SELECT)',
            target: '-',
            measured: `${fmt(seeded.seedSeconds, 1)} s`,
            ok: null,
          },
        );
      }
      // 4. Fan-out of a new post to 2,000 sockets over two API instances.
      if (ONLY.includes('fanout')) {
        const fan = await fanOut([apiA, apiB], tokens, seeded.fanoutThread, tokens[0]);
        rows.push(
          {
            figure: `fan-out to ${fmt(SOCKETS)} sockets on 2 APIs, p50 (request start → event)`,
            target: '-',
            measured: `${fmt(percentile(fan.latencies, 50))} ms`,
            ok: null,
          },
          {
            figure: 'fan-out p99',
            target: '< 250 ms',
            measured: `${fmt(percentile(fan.latencies, 99))} ms`,
            ok: percentile(fan.latencies, 99) < 250,
          },
          {
            figure: 'fan-out events delivered / expected',
            target: 'all',
            measured: `${fmt(fan.received)} / ${fmt(fan.expected)}`,
            ok: fan.received === fan.expected,
          },
        );
      }
      return rows;
    } finally {
      await env.close();
    }
  },
};
