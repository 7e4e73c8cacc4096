import type { Client } from 'pg';

/**
 * Has PostgreSQL parse and plan `text` against the connected database's schema without running it (PREPARE, then
 * DEALLOCATE); throws what PostgreSQL says when it does not prepare.
 */
export async function prepareStatement(client: Client, text: string): Promise<void> {
  await client.query(`PREPARE catalogue_check AS ${text}`);
  await client.query('DEALLOCATE catalogue_check');
}
