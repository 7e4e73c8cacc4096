import * as argon2 from 'argon2';
import type { Bench } from './run';
import { BenchEnvironment, BenchRow, fmt, load, medianLoad } from './harness';

const PASSWORD = 'Bench-Lantern-Orchard-42';
const USERS = 100;

/** Sign-in throughput with production argon2id settings (19 MiB, t=2), 20 connections. */
export const identityBench: Bench = {
  name: 'identity',
  async run(): Promise<BenchRow[]> {
    const env = await BenchEnvironment.start({
      ARGON2_MEMORY_KIB: '19456',
      // The benchmark measures sign-in cost, not the limiter: lift the limits for this run only.
      RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: '10000000',
      LOGIN_FAILURES_BEFORE_DELAY: '1000',
    });
    try {
      const hash = await argon2.hash(PASSWORD, {
        type: argon2.argon2id,
        memoryCost: 19456,
        timeCost: 2,
        parallelism: 1,
      });
      await env.query(
        `INSERT INTO users (email, password_hash, display_name, profession, career_stage, region, email_verified_at)
         SELECT 'bench' || g || '@example.nhs.net', $1, 'Bench ' || g, 'PWP', 'qualified', 'north_west', now()
           FROM generate_series(1, $2) g`,
        [hash, USERS],
      );
      const api = await env.startApi();
      let next = 0;
      const result = await medianLoad(3, () =>
        load({
          url: `${api.url}/api/v1/auth/login`,
          connections: 20,
          duration: 8,
          requests: [
            {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              setupRequest: (request) => {
                next = (next % USERS) + 1;
                return {
                  ...request,
                  body: JSON.stringify({ email: `bench${next}@example.nhs.net`, password: PASSWORD }),
                };
              },
            },
          ],
        }),
      );
      const rss = api.rssMb();
      return [
        {
          figure: 'login req/s (20 connections, argon2id 19 MiB t=2)',
          target: '-',
          measured: fmt(result.rps),
          ok: null,
        },
        { figure: 'login p99 latency', target: '-', measured: `${fmt(result.p99)} ms`, ok: null },
        {
          figure: 'login errors / non-2xx',
          target: '0',
          measured: `${result.errors} / ${result.non2xx}`,
          ok: result.errors + result.non2xx === 0,
        },
        { figure: 'API RSS after login load (argon2 buffers)', target: '-', measured: `${fmt(rss)} MB`, ok: null },
      ];
    } finally {
      await env.close();
    }
  },
};
