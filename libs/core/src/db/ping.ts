/** Anything that runs a statement: a pg `Client`, a pool, TypeORM's data source. */
export interface Pingable {
  query(sql: string): Promise<unknown>;
}

/** The cheapest round trip that proves PostgreSQL answers on this connection (health checks, start-up checks). */
export async function pingPostgres(db: Pingable): Promise<void> {
  await db.query('SELECT 1');
}
