import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { compose, makeDomain, sendOversized, signed } from '../e2e/mail-in.helpers';
import { BenchEnvironment, BenchRow, cpuMs, fmt, percentile, ROOT, rssMb } from './harness';
import type { Bench } from './run';

const MESSAGES = Number(process.env.MAIL_IN_BENCH_MESSAGES) || 1000;
const WARM_UP = 50;
/** RSS is read every this many answers. */
const SAMPLE_EVERY = 100;
const CONNECTIONS = 10;
const DOMAIN = 'in.bench.test';
const MEMBERS = 50;
const MB = 1024 * 1024;
/**
 * The size limit of this deployment: 1 MB, far above the 50 kB messages measured, so that the
 * oversize phase measures what the listener keeps past a limit rather than the limit itself (each
 * connection may hold up to the limit while a message is still under it).
 */
const LIMIT_BYTES = MB;
/** The oversize phase: this many connections at once, each sending this much beyond the limit. */
const OVERSIZE_CONNECTIONS = 10;
const OVERSIZE_BYTES = 50 * MB;
/** The `application_name` of the mail-in app's PostgreSQL sessions. */
const MAIL_IN_APP = 'cophub-mail-in';

interface HeapSample {
  /** Messages answered so far. */
  at: number;
  /** V8 heap in use after two full collections, MB. */
  heap: number;
  /** Buffers and other memory outside the V8 heap after the collections, MB. */
  external: number;
}

interface RssSample {
  at: number;
  mb: number;
}

const range = (from: number, below: number, step: number) =>
  Array.from({ length: Math.max(0, Math.ceil((below - from) / step)) }, (_, i) => from + i * step);

/** Asks the mail-in process (over IPC) for one answer of the given kind. */
function ask<T>(child: ChildProcess, request: string | Record<string, unknown>, key: string): Promise<T> {
  return new Promise((answer, fail) => {
    const timer = setTimeout(() => fail(new Error(`mail-in did not answer ${key}`)), 120_000);
    const onMessage = (message: Record<string, unknown>) => {
      if (!message || !(key in message)) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      answer(message[key] as T);
    };
    child.on('message', onMessage);
    child.send(request);
  });
}

/** PostgreSQL round trips the process has made so far (the bench's query counter preload). */
const queryCount = (child: ChildProcess) => ask<number>(child, 'query-count', 'queryCount');

/** Growth per 100 messages by least squares over the samples (MB). */
function slopePer100<T extends { at: number }>(samples: T[], pick: (s: T) => number): number {
  const n = samples.length;
  if (n < 2) return NaN;
  const mx = samples.reduce((a, s) => a + s.at, 0) / n;
  const my = samples.reduce((a, s) => a + pick(s), 0) / n;
  const num = samples.reduce((a, s) => a + (s.at - mx) * (pick(s) - my), 0);
  const den = samples.reduce((a, s) => a + (s.at - mx) ** 2, 0);
  return (num / den) * 100;
}

/**
 * 1,000 DKIM-signed 50 kB messages (a short note and a PDF attachment) from members to a community's
 * share address over SMTP, 10 connections at once, into the compiled mail-in app running as its own
 * process. The SMTP answer comes only after the submission is stored, so each send's latency is
 * accept→stored. Then 100 of them are delivered again, as a sending server retrying would, to count
 * duplicates.
 *
 * Memory, two ways: RSS every 100 answers as the messages flow (what an operator sees; it also moves
 * with V8's heap sizing, garbage not yet collected and the allocator), and the V8 heap after forced
 * full collections at quiet points (every 200 messages from 300, the middle and the end, with nothing
 * in flight), which is what retained objects would show in. CPU is read from `/proc` for the mail-in
 * process and for its PostgreSQL sessions, and round trips by the bench's query counter.
 *
 * MAIL_IN_BENCH_MESSAGES runs a longer (or shorter) series; MAIL_IN_BENCH_SNAPSHOTS=<dir> writes heap
 * snapshots there at 300 and 900 messages (for a comparison of retained objects); BENCH_NODE_ARGS
 * (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) applies to the mail-in process.
 */
export const mailInBench: Bench = {
  name: 'mail-in',
  async run(): Promise<BenchRow[]> {
    const env = await BenchEnvironment.start({
      MAIL_IN_DOMAIN: DOMAIN,
      MAIL_IN_PORT: '0',
      MAIL_IN_MAX_MESSAGE_BYTES: String(LIMIT_BYTES),
      NODE_ENV: 'production',
    });
    const domain = makeDomain('trust.bench.test');
    const der = domain.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const dns = {
      [`test._domainkey.${domain.name}:TXT`]: [[`v=DKIM1; k=rsa; p=${der}`]],
      [`${domain.name}:TXT`]: [['v=spf1 ip4:127.0.0.1 -all']],
      [`_dmarc.${domain.name}:TXT`]: [['v=DMARC1; p=reject']],
    };
    const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const child = spawn(
      process.execPath,
      [
        '--expose-gc',
        ...nodeArgs,
        '-r',
        resolve(ROOT, 'test/bench/query-counter.js'),
        resolve(ROOT, 'test/bench/mail-in.server.js'),
      ],
      {
        cwd: ROOT,
        env: { ...process.env, ...env.env, MAIL_IN_BENCH_DNS: JSON.stringify(dns) },
        stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      },
    );
    const snapshots = process.env.MAIL_IN_BENCH_SNAPSHOTS;
    try {
      const port = await new Promise<number>((ready, fail) => {
        let out = '';
        child.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /ready (\d+)/.exec(out);
          if (match) ready(Number(match[1]));
        });
        child.once('exit', (code) => fail(new Error(`mail-in exited with ${code}`)));
      });

      const [community] = await env.query<{ id: string; slug: string }>(
        `INSERT INTO communities (slug, name, region) VALUES ('bench-cop', 'Bench CoP', 'north_west') RETURNING id, slug`,
      );
      const members = await env.query<{ id: string; email: string }>(
        `INSERT INTO users (email, password_hash, display_name, profession, career_stage, region, email_verified_at)
         SELECT 'member' || g || '@${domain.name}', 'x', 'Member ' || g, 'PWP', 'qualified', 'north_west', now()
           FROM generate_series(1, $1) g RETURNING id, email`,
        [MEMBERS],
      );
      await env.query(
        `INSERT INTO memberships (community_id, user_id, status, role) SELECT $1, unnest($2::uuid[]), 'approved', 'member'`,
        [community.id, members.map((m) => m.id)],
      );

      // Built and signed before the clock starts: the sender's work, not ours.
      const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(35 * 1024, 'stream of a shared guide\n')]);
      const to = `share+${community.slug}@${DOMAIN}`;
      const messages = await Promise.all(
        Array.from({ length: MESSAGES }, async (_, i) => {
          const from = members[i % MEMBERS].email;
          const raw = await compose({
            from,
            to,
            subject: `Shared guide ${i}`,
            text: `Sharing our team's guide number ${i}.\n\n${'Notes from the session. '.repeat(100)}`,
            attachments: [{ filename: `guide-${i}.pdf`, content: pdf, contentType: 'application/pdf' }],
            messageId: `<${randomUUID()}@${domain.name}>`,
          });
          return { from, raw: await signed(raw, domain) };
        }),
      );
      const averageKb = messages.reduce((sum, m) => sum + m.raw.length, 0) / messages.length / 1024;

      const options: SMTPTransport.Options = { host: '127.0.0.1', port, secure: false, ignoreTLS: true };
      const transport = nodemailer.createTransport({
        ...options,
        pool: true,
        maxConnections: CONNECTIONS,
        maxMessages: Infinity,
      } as SMTPTransport.Options);
      const send = async (m: { from: string; raw: Buffer }) => {
        const started = process.hrtime.bigint();
        await transport.sendMail({ envelope: { from: m.from, to: [to] }, raw: m.raw });
        return Number(process.hrtime.bigint() - started) / 1e6;
      };
      /** Sends a list over the connections and waits for every answer; `onDone` hears each answer. */
      const runAll = async (list: typeof messages, onDone: () => void = () => undefined) => {
        const latencies: number[] = [];
        let next = 0;
        let failures = 0;
        await Promise.all(
          Array.from({ length: CONNECTIONS }, async () => {
            while (next < list.length) {
              const m = list[next++];
              try {
                latencies.push(await send(m));
              } catch {
                failures += 1;
              }
              onDone();
            }
          }),
        );
        return { latencies, failures };
      };
      const heapAt = async (at: number): Promise<HeapSample> => {
        const m = await ask<Record<string, number>>(child, { memory: true }, 'memory');
        if (snapshots && (at === 300 || at === 900)) {
          await ask(child, { snapshot: resolve(snapshots, `mail-in-${at}.heapsnapshot`) }, 'snapshot');
        }
        return { at, heap: m.heapUsed / MB, external: m.external / MB };
      };

      // Quiet points (nothing in flight): the V8 heap is read there after forced full collections.
      // RSS is read every 100 answers as the messages flow, without forcing anything.
      const half = Math.round(MESSAGES / 2 / SAMPLE_EVERY) * SAMPLE_EVERY;
      const quiet = [...new Set([...range(300, MESSAGES, 200), half, MESSAGES])]
        .filter((at) => at > WARM_UP && at <= MESSAGES)
        .sort((x, y) => x - y);

      // Warm up (connections, JIT, pool) with the first 50, then measure the rest in steps between
      // the quiet points. Only the steps count for time, CPU and round trips.
      const warm = await runAll(messages.slice(0, WARM_UP));
      const rss: RssSample[] = [{ at: WARM_UP, mb: rssMb(child.pid!) }];
      const heap: HeapSample[] = [await heapAt(WARM_UP)];
      const latencies: number[] = [];
      let failures = warm.failures;
      let answered = WARM_UP;
      let elapsedMs = 0;
      let cpu = 0;
      let pgCpu = 0;
      let trips = 0;
      let from = WARM_UP;
      for (const until of quiet) {
        const [pgBefore, tripsBefore] = [await env.pgCpuMs(MAIL_IN_APP), await queryCount(child)];
        const [cpuBefore, started] = [cpuMs(child.pid!), Date.now()];
        const step = await runAll(messages.slice(from, until), () => {
          answered += 1;
          if (answered % SAMPLE_EVERY === 0 && answered < until) rss.push({ at: answered, mb: rssMb(child.pid!) });
        });
        elapsedMs += Date.now() - started;
        cpu += cpuMs(child.pid!) - cpuBefore;
        trips += (await queryCount(child)) - tripsBefore;
        pgCpu += await env.pgCpuMsSince(pgBefore, MAIL_IN_APP);
        latencies.push(...step.latencies);
        failures += step.failures;
        rss.push({ at: until, mb: rssMb(child.pid!) });
        heap.push(await heapAt(until));
        from = until;
      }
      const measured = MESSAGES - WARM_UP;
      const retried = await runAll(messages.slice(0, 100));
      failures += retried.failures;
      transport.close();

      // Oversize: 10 connections at once each send 50 MB past the limit. The listener drops what it
      // kept once the limit passes and discards the rest, so RSS should barely move; it is read
      // every 20 ms from /proc while they send.
      const oversizeBase = rssMb(child.pid!);
      let oversizePeak = oversizeBase;
      const sampler = setInterval(() => {
        oversizePeak = Math.max(oversizePeak, rssMb(child.pid!));
      }, 20);
      const oversizeStarted = Date.now();
      const head = await compose({ from: members[0].email, to, subject: 'Too big', text: 'x' });
      const oversize = await Promise.all(
        Array.from({ length: OVERSIZE_CONNECTIONS }, () =>
          sendOversized(port, { from: members[0].email, to }, head, LIMIT_BYTES + OVERSIZE_BYTES).catch(
            (error: Error) => ({ code: 0, text: error.message }),
          ),
        ),
      );
      clearInterval(sampler);
      oversizePeak = Math.max(oversizePeak, rssMb(child.pid!));
      const oversizeSeconds = (Date.now() - oversizeStarted) / 1000;
      const refused = oversize.filter((a) => a.code === 552).length;
      const oversizeGrowth = oversizePeak - oversizeBase;

      const middleOf = <T extends { at: number }>(list: T[]) => list.find((x) => x.at >= half)!;
      const [heapStart, heapMiddle, heapEnd] = [heap[0], middleOf(heap), heap[heap.length - 1]];
      const [rssStart, rssMiddle, rssEnd] = [rss[0], middleOf(rss), rss[rss.length - 1]];
      const heapGrowth = heapEnd.heap - heapMiddle.heap;
      const rssGrowth = rssEnd.mb - rssMiddle.mb;
      const peakRss = Math.max(...rss.map((x) => x.mb));
      const signed1 = (value: number) => `${value >= 0 ? '+' : ''}${fmt(value, 1)}`;
      const [{ stored, distinct }] = await env.query<{ stored: number; distinct: number }>(
        `SELECT count(*)::int AS stored, count(DISTINCT i.message_id)::int AS distinct
           FROM mail_submissions s JOIN inbound_messages i ON i.id = s.inbound_message_id
          WHERE s.status = 'pending'`,
      );
      const lost = MESSAGES - stored;
      const duplicates = stored - distinct;
      return [
        {
          figure: `mail-in messages/s (${measured} of ${fmt(averageKb)} kB, DKIM/SPF/DMARC, PDF checked, ${CONNECTIONS} SMTP connections)`,
          target: '-',
          measured: fmt(measured / (elapsedMs / 1000), 1),
          ok: null,
        },
        {
          figure: 'mail-in accept→stored submission p50 / p95',
          target: '-',
          measured: `${fmt(percentile(latencies, 50), 1)} / ${fmt(percentile(latencies, 95), 1)} ms`,
          ok: null,
        },
        {
          figure:
            'mail-in CPU per message: mail-in process / its PostgreSQL sessions; PostgreSQL round trips per message',
          target: '-',
          measured: `${fmt(cpu / measured, 1)} ms / ${fmt(pgCpu / measured, 1)} ms; ${fmt(trips / measured, 1)}`,
          ok: null,
        },
        {
          figure: `mail-in lost / duplicates (after ${retried.latencies.length} redeliveries) / SMTP failures`,
          target: '0 / 0 / 0',
          measured: `${lost} / ${duplicates} / ${failures}`,
          ok: lost === 0 && duplicates === 0 && failures === 0,
        },
        {
          figure: `mail-in V8 heap used after full GC at quiet points: start (${heapStart.at}) / middle (${heapMiddle.at}) / end (${heapEnd.at})`,
          target: '-',
          measured: `${fmt(heapStart.heap, 1)} / ${fmt(heapMiddle.heap, 1)} / ${fmt(heapEnd.heap, 1)} MB (${heap.map((x) => `${x.at}: ${fmt(x.heap, 1)}`).join(', ')}); external ${fmt(heapStart.external, 1)} / ${fmt(heapEnd.external, 1)} MB`,
          ok: null,
        },
        {
          figure: `mail-in heap after GC, second half (${heapMiddle.at} → ${heapEnd.at}): growth, slope`,
          target: 'flat (< 5%)',
          measured: `${signed1(heapGrowth)} MB, ${signed1(
            slopePer100(
              heap.filter((x) => x.at >= heapMiddle.at),
              (x) => x.heap,
            ) * 1024,
          )} kB per 100 messages`,
          ok: heapGrowth < heapMiddle.heap * 0.05,
        },
        {
          figure: `mail-in RSS start (${rssStart.at}) / middle (${rssMiddle.at}) / end (${rssEnd.at}) (peak)`,
          target: '-',
          measured: `${fmt(rssStart.mb)} / ${fmt(rssMiddle.mb)} / ${fmt(rssEnd.mb)} (${fmt(peakRss)}) MB`,
          ok: null,
        },
        {
          figure: `mail-in RSS, second half (${rssMiddle.at} → ${rssEnd.at}): growth, slope`,
          target: 'flat (< 5%)',
          measured: `${signed1(rssGrowth)} MB, ${signed1(
            slopePer100(
              rss.filter((x) => x.at >= rssMiddle.at),
              (x) => x.mb,
            ),
          )} MB per 100 messages (every ${SAMPLE_EVERY}: ${rss.map((x) => fmt(x.mb)).join(', ')})`,
          ok: rssGrowth < rssMiddle.mb * 0.05,
        },
        {
          figure: `mail-in peak RSS growth, ${OVERSIZE_CONNECTIONS} connections each sending ${OVERSIZE_BYTES / MB} MB over the ${LIMIT_BYTES / MB} MB limit at once (answered 552, seconds)`,
          target: '< 50 MB',
          measured: `${signed1(oversizeGrowth)} MB (${fmt(oversizeBase)} → ${fmt(oversizePeak)} MB; ${refused} of ${OVERSIZE_CONNECTIONS} answered 552; ${fmt(oversizeSeconds, 1)} s)`,
          ok: oversizeGrowth < 50 && refused === OVERSIZE_CONNECTIONS,
        },
      ];
    } finally {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await env.close();
    }
  },
};
