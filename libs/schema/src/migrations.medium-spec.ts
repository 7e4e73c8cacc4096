import { Client } from 'pg';
import { applyMigrations, MigrationClass, pendingMigrations } from '@cophub/core';
import { createDatabase, dropDatabase, testRun, uniqueSuffix } from '@cophub/testing';
import { ALL_MIGRATIONS } from './migrations';
import { runMigrations } from './run-migrations';

/**
 * The migration list of the release before migrations moved into their modules (libs/core/src/db/migrations/index.ts
 * at that time), as PostgreSQL's `schema_migrations` recorded it: a database migrated by that release holds exactly
 * these names. Frozen here; never edit it.
 */
const BEFORE_THE_MOVE = [
  'Foundation1795339334972',
  'Notifications1795339911860',
  'Forum1795424592131',
  'Resources1795424619199',
  'Polls1795424667110',
  'Events1795424854225',
  'AccountClosure1795425928291',
  'ResourceEventLink1795426214540',
  'ForumSpeed1795755476473',
  'NotificationKinds1795755728234',
  'PollBallotMixing1795756001501',
  'SearchRanking1795757197913',
  'CommunityPages1795757942841',
  'CommunityOverview1795759440713',
  'MailIn1795760406294',
  'IdempotencyKeys1795763357255',
  'PollRemindNow1795830000000',
  'AnnouncementNotifications1795840000000',
  'CpdReflections1795850000000',
  'MemberHandles1795850100000',
  'ForumCategoryVersion1795860000000',
  'PollResultsVersions1795870000000',
  'InboundRawLz41795883000000',
  'MailSubmissionRecipients1795900000000',
  'MailReplyConfirmations1795900000001',
  'ReservedHandleLookalikes1795910000000',
  'AnonymousBallotsSealed1795920000000',
];

async function recorded(url: string): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY id')).rows.map(
      (r) => r.name,
    );
  } finally {
    await client.end();
  }
}

describe('migrations moved into their modules', () => {
  const name = `cophub_t_${testRun().runId}_${uniqueSuffix()}`;
  let url: string;

  beforeAll(async () => {
    url = await createDatabase(name);
  });

  afterAll(async () => {
    await dropDatabase(name);
  });

  it('find nothing pending on a database the previous release migrated, and apply nothing to it', async () => {
    // The previous release's list, in its order: the same migration classes (moved, not changed), found by the
    // names it recorded. A name missing from the modules' lists fails here.
    const byName = new Map(ALL_MIGRATIONS.map((m) => [new m().name, m]));
    const before: MigrationClass[] = BEFORE_THE_MOVE.map((n) => {
      const migration = byName.get(n);
      if (!migration) throw new Error(`${n} is no longer in any module's migrations`);
      return migration;
    });
    expect(await applyMigrations(url, before)).toEqual(BEFORE_THE_MOVE);
    expect(await recorded(url)).toEqual(BEFORE_THE_MOVE);

    expect(await pendingMigrations(url, ALL_MIGRATIONS)).toEqual([]);
    expect(await runMigrations(url)).toEqual([]);
    expect(await recorded(url)).toEqual(BEFORE_THE_MOVE);
  });

  it('apply in the previous release’s order on a new database (the collected list is in timestamp order)', () => {
    const names = ALL_MIGRATIONS.map((m) => new m().name);
    expect(names.slice(0, BEFORE_THE_MOVE.length)).toEqual(BEFORE_THE_MOVE);
  });
});
