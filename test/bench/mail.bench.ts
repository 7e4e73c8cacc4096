import { SmtpSink } from '@cophub/testing';
import type { Bench } from './run';
import { BenchEnvironment, BenchRow, fmt } from './harness';

const MESSAGES = 3000;

/** Outbox rows delivered per second through BullMQ, the worker and nodemailer to a local SMTP server. */
export const mailBench: Bench = {
  name: 'mail',
  async run(): Promise<BenchRow[]> {
    const sink = await new SmtpSink('light').start();
    const env = await BenchEnvironment.start({ SMTP_URL: sink.url, MAIL_CONCURRENCY: '50' });
    try {
      await env.query(
        `INSERT INTO mail_outbox (recipient, template, params)
         SELECT 'reader' || g || '@example.nhs.net', 'identity.password-changed', jsonb_build_object('displayName', 'Reader ' || g)
           FROM generate_series(1, $1) g`,
        [MESSAGES],
      );
      const started = Date.now();
      // The worker's reconciler finds the unsent rows on start and enqueues them.
      await env.startWorker();
      await sink.waitFor((m) => m.length >= MESSAGES, 180_000, `${MESSAGES} messages`);
      const first = Math.min(...sink.messages.map((m) => m.receivedAt));
      const last = Math.max(...sink.messages.map((m) => m.receivedAt));
      const seconds = (last - first) / 1000;
      const startup = (first - started) / 1000;
      await new Promise((r) => setTimeout(r, 1000));
      const ids = new Set(sink.messages.map((m) => m.messageId));
      const [{ unsent }] = await env.query<{ unsent: number }>(
        "SELECT count(*)::int AS unsent FROM mail_outbox WHERE status <> 'sent'",
      );
      const duplicates = sink.messages.length - ids.size;
      return [
        {
          figure: `mail delivered/s (${MESSAGES} messages, 1 worker, first to last)`,
          target: '-',
          measured: fmt(MESSAGES / seconds),
          ok: null,
        },
        { figure: 'worker start to first delivery', target: '-', measured: `${fmt(startup, 1)} s`, ok: null },
        {
          figure: 'mail duplicates / unsent',
          target: '0 / 0',
          measured: `${duplicates} / ${unsent}`,
          ok: duplicates === 0 && unsent === 0,
        },
      ];
    } finally {
      await env.close();
      await sink.stop();
    }
  },
};
