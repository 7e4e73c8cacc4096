/**
 * The mail-in app as its own process for the benchmark, with DNS answered from the records the
 * benchmark passes in MAIL_IN_BENCH_DNS (JSON of "name:TYPE" → answers), so SPF, DKIM and DMARC are
 * checked for real without the network. Prints "ready <port>" when the SMTP server listens.
 */
import 'reflect-metadata';
import { loadConfig } from '@cophub/core';
import { createMailIn } from '../../apps/mail-in/src/mail-in.factory';

const records = new Map<string, string[][]>(Object.entries(JSON.parse(process.env.MAIL_IN_BENCH_DNS ?? '{}')));

createMailIn(loadConfig(), {
  logs: false,
  resolver: async (name, rrtype) => {
    const found = records.get(`${name.toLowerCase()}:${rrtype}`);
    if (found) return found;
    throw Object.assign(new Error(`ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  },
}).then(
  ({ app, port }) => {
    console.log(`ready ${port}`);
    process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
