import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { compose, makeDomain, signed } from '../e2e/mail-in.helpers';
import { BenchEnvironment, BenchRow, fmt, percentile, ROOT } from './harness';
import type { Bench } from './run';

const MESSAGES = 1000;
const CONNECTIONS = 10;
const DOMAIN = 'in.bench.test';
const MEMBERS = 50;

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;

/**
 * 1,000 DKIM-signed 50 kB messages (a short note and a PDF attachment) from members to a community's
 * share address over SMTP, 10 connections at once, into the mail-in app running as its own process.
 * The SMTP answer comes only after the submission is stored, so each send's latency is accept→stored.
 * Then 100 of them are delivered again, as a sending server retrying would, to count duplicates.
 */
export const mailInBench: Bench = {
  name: 'mail-in',
  async run(): Promise<BenchRow[]> {
    const env = await BenchEnvironment.start({ MAIL_IN_DOMAIN: DOMAIN, MAIL_IN_PORT: '0', NODE_ENV: 'production' });
    const domain = makeDomain('trust.bench.test');
    const der = domain.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const dns = {
      [`test._domainkey.${domain.name}:TXT`]: [[`v=DKIM1; k=rsa; p=${der}`]],
      [`${domain.name}:TXT`]: [['v=spf1 ip4:127.0.0.1 -all']],
      [`_dmarc.${domain.name}:TXT`]: [['v=DMARC1; p=reject']],
    };
    const child = spawn(process.execPath, ['-r', '@swc-node/register', resolve(ROOT, 'test/bench/mail-in.server.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...env.env,
        MAIL_IN_BENCH_DNS: JSON.stringify(dns),
        SWC_NODE_PROJECT: resolve(ROOT, 'tsconfig.json'),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
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
      /** Sends a list over the connections; `onDone` hears how many have been answered so far. */
      const runAll = async (list: typeof messages, onDone: (done: number) => void = () => undefined) => {
        const latencies: number[] = [];
        let next = 0;
        let done = 0;
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
              onDone((done += 1));
            }
          }),
        );
        return { latencies, failures };
      };

      // Warm up (connections, JIT, pool) with the first 50, then measure the rest, sampling the
      // process's RSS every 100 messages answered.
      const warm = await runAll(messages.slice(0, 50));
      const samples: Array<{ at: number; mb: number }> = [{ at: 50, mb: rssMb(child.pid!) }];
      const started = Date.now();
      const main = await runAll(messages.slice(50), (done) => {
        if ((done + 50) % 100 === 0) samples.push({ at: done + 50, mb: rssMb(child.pid!) });
      });
      const seconds = (Date.now() - started) / 1000;
      const retried = await runAll(messages.slice(0, 100));
      const start = samples[0].mb;
      const end = samples[samples.length - 1].mb;
      const peak = Math.max(...samples.map((x) => x.mb));
      const half = samples.find((x) => x.at >= MESSAGES / 2)!;
      const secondHalf = end - half.mb;
      transport.close();

      const [{ stored, distinct }] = await env.query<{ stored: number; distinct: number }>(
        `SELECT count(*)::int AS stored, count(DISTINCT i.message_id)::int AS distinct
           FROM mail_submissions s JOIN inbound_messages i ON i.id = s.inbound_message_id
          WHERE s.status = 'pending'`,
      );
      const failures = warm.failures + main.failures + retried.failures;
      const lost = MESSAGES - stored;
      const duplicates = stored - distinct;
      return [
        {
          figure: `mail-in messages/s (${MESSAGES - 50} of ${fmt(averageKb)} kB, DKIM/SPF/DMARC, PDF checked, ${CONNECTIONS} SMTP connections)`,
          target: '-',
          measured: fmt((MESSAGES - 50) / seconds, 1),
          ok: null,
        },
        {
          figure: 'mail-in accept→stored submission p50 / p95',
          target: '-',
          measured: `${fmt(percentile(main.latencies, 50), 1)} / ${fmt(percentile(main.latencies, 95), 1)} ms`,
          ok: null,
        },
        {
          figure: `mail-in lost / duplicates (after ${retried.latencies.length} redeliveries) / SMTP failures`,
          target: '0 / 0 / 0',
          measured: `${lost} / ${duplicates} / ${failures}`,
          ok: lost === 0 && duplicates === 0 && failures === 0,
        },
        {
          figure: 'mail-in RSS start (after 50) / peak / end (after 1,000)',
          target: '-',
          measured: `${fmt(start)} / ${fmt(peak)} / ${fmt(end)} MB`,
          ok: null,
        },
        {
          figure: `mail-in RSS growth over the second half (${half.at} → ${MESSAGES} messages)`,
          target: 'flat (< 5%)',
          measured: `${secondHalf >= 0 ? '+' : ''}${fmt(secondHalf, 1)} MB (every 100: ${samples.map((x) => fmt(x.mb)).join(', ')})`,
          ok: secondHalf < half.mb * 0.05,
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
