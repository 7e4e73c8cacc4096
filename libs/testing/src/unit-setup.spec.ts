import { Client } from 'pg';
import { accepts } from './ports';
import { PG_BASE_URL, REDIS_URL } from './run-env';

/**
 * The unit layer runs without PostgreSQL and Redis, on every machine: a spec that reaches for either fails
 * (connection refused) even where both are running, so it is found and made a medium spec.
 */
describe('the unit layer', () => {
  it('cannot reach PostgreSQL', async () => {
    const client = new Client({ connectionString: `${PG_BASE_URL}/postgres` });
    await expect(client.connect()).rejects.toThrow(/ECONNREFUSED/);
  });

  it('cannot reach Redis', async () => {
    const { hostname, port } = new URL(REDIS_URL);
    expect(hostname).toBe('127.0.0.1');
    expect(await accepts(Number(port))).toBe(false);
  });
});
