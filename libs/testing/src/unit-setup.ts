/**
 * Set-up of every unit test file: PostgreSQL and Redis addresses point at a port nobody listens on, so a unit
 * spec that reaches for either fails at once, in every run, instead of passing on a machine that happens to
 * have them. A spec that needs them is a medium spec (`*.medium-spec.ts`).
 */
const CLOSED = '127.0.0.1:1';

process.env.TEST_PG_URL = `postgres://postgres@${CLOSED}`;
process.env.TEST_REDIS_URL = `redis://${CLOSED}`;
process.env.DATABASE_URL = `postgres://postgres@${CLOSED}/none`;
process.env.REDIS_URL = `redis://${CLOSED}`;
