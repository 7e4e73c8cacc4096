'use strict';
/**
 * The compiled mail-in app (`dist`, as `npm run start:mail-in` runs it) as its own process for the
 * benchmark and the crash test, with DNS answered from the records the benchmark passes in MAIL_IN_BENCH_DNS (JSON of
 * "name:TYPE" → answers), so SPF, DKIM and DMARC are checked for real without the network.
 * Prints "ready <port>" when the SMTP server listens.
 *
 * Bench-only instruments, over the IPC channel when the parent opened one:
 * - `{ memory: true }` → `{ memory: { rss, heapUsed, heapTotal, external, arrayBuffers, rssAfterGc } }` in bytes,
 *   `rss` read before and the rest after two full garbage collections (needs `--expose-gc`);
 * - `{ snapshot: path }` → `{ snapshot: path }` once a heap snapshot is written there.
 * The product itself carries none of this.
 */
const { resolve } = require('node:path');
const v8 = require('node:v8');

const root = process.env.BENCH_BUILD_ROOT || resolve(__dirname, '../..');
// MAIL_IN_SERVER_FROM_SOURCE: the TypeScript sources (run with `-r @swc-node/register`, as the tests
// do, which need no build); otherwise the compiled build.
const code = process.env.MAIL_IN_SERVER_FROM_SOURCE ? root : resolve(root, 'dist');
require(require.resolve('reflect-metadata', { paths: [root] }));
const { loadConfig } = require(resolve(code, 'libs/core/src'));
const { createMailIn } = require(resolve(code, 'apps/mail-in/src/mail-in.factory'));

const records = new Map(Object.entries(JSON.parse(process.env.MAIL_IN_BENCH_DNS || '{}')));

function memory() {
  const rss = process.memoryUsage.rss();
  if (typeof global.gc === 'function') {
    global.gc();
    global.gc();
  }
  const after = process.memoryUsage();
  return {
    rss,
    rssAfterGc: after.rss,
    heapUsed: after.heapUsed,
    heapTotal: after.heapTotal,
    external: after.external,
    arrayBuffers: after.arrayBuffers,
  };
}

if (process.send) {
  process.on('message', (message) => {
    if (message && message.memory) process.send({ memory: memory() });
    if (message && message.snapshot) {
      if (typeof global.gc === 'function') global.gc();
      process.send({ snapshot: v8.writeHeapSnapshot(message.snapshot) });
    }
  });
  process.channel && process.channel.unref();
}

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
