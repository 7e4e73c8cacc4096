import type { ModuleMetadata, Type } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { Pool } from 'pg';
import { AppConfig, Clock, CoreModule, RedisService } from '@cophub/core';
import { AccessTokenService, AuthUser, IdentityChange, IdentityChanges } from '@cophub/identity';
import { RealtimeModule } from '@cophub/realtime';
import { SearchModule } from '@cophub/search';
import type { TestUser } from './factories';
import { deleteRedisPrefix } from './global-teardown';
import { testRun, uniqueSuffix } from './run-env';
import { signIn } from './sessions';
import { rowsOf } from './db/fixtures.sql';
import { createTestDatabase } from './db/test-database';
import { testConfig } from './test-env';
import { TestStorage, testStorage } from './test-storage';

export interface MediumOptions {
  /** The module under test (and any module it needs that it does not import itself). */
  imports: NonNullable<ModuleMetadata['imports']>;
  /** Extra providers, e.g. a service of a jobs module. */
  providers?: ModuleMetadata['providers'];
  /** Extra settings, validated like the real ones. */
  env?: Record<string, string | undefined>;
}

/**
 * A module's services and repositories on real services, without HTTP: a fresh copy of the run's migrated
 * template database, its own Redis key prefix on the test Redis (emptied at close) and its own file storage directory.
 * `get` reaches any provider (repositories included); the factories of this library seed it as they seed a
 * `TestStack`. Close it in `afterAll`.
 */
export class MediumModule {
  private constructor(
    readonly module: TestingModule,
    readonly config: AppConfig,
    /** The module's clock: a test moves time with `clock.advance` or `clock.set`. */
    readonly clock: Clock,
    readonly database: { name: string; url: string; drop: () => Promise<void> },
    readonly pg: Pool,
    private readonly storage: TestStorage,
  ) {}

  static async start(options: MediumOptions): Promise<MediumModule> {
    const { runId } = testRun();
    const database = await createTestDatabase();
    const storage = testStorage();
    const prefix = `test-${runId}-${uniqueSuffix()}`;
    const config = testConfig(database.url, prefix, { STORAGE_DIR: storage.dir, ...options.env });
    const clock = new Clock();
    const pg = new Pool({ connectionString: database.url, max: 3 });
    // Dropping the database at close ends connections still idle in this pool: not an error of the test.
    pg.on('error', () => undefined);
    let testing: TestingModule | null = null;
    try {
      testing = await Test.createTestingModule({
        imports: [
          CoreModule.forRoot({ config, name: 'cophub-medium', clock, poolSize: 5 }),
          // The registries every process provides to its feature modules (rooms, search providers).
          RealtimeModule,
          SearchModule,
          ...options.imports,
        ],
        providers: options.providers ?? [],
      }).compile();
      testing.useLogger(false);
      await testing.init();
    } catch (error) {
      await testing?.close().catch(() => undefined);
      await pg.end();
      await database.drop();
      storage.remove();
      throw error;
    }
    return new MediumModule(testing, config, clock, database, pg, storage);
  }

  /** Any provider of the module under test, exported or not (repositories, policies, jobs). */
  get<T>(type: Type<T> | string | symbol): T {
    return this.module.get<T>(type, { strict: false });
  }

  /** A test's own statement on the module's database (to arrange a case, or check what a service changed). */
  rows<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return rowsOf<T>(this.pg, sql, params);
  }

  /** `rows`, under the name the factories call (`TestWorld`). */
  query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.rows<T>(sql, params);
  }

  async tokenFor(userId: string, isAdmin = false): Promise<string> {
    return (await this.tokensFor([userId], isAdmin))[0];
  }

  async tokensFor(userIds: string[], isAdmin = false): Promise<string[]> {
    return signIn(this, this.get(AccessTokenService), userIds, isAdmin);
  }

  /** The caller a service sees for this user's sign-in (what the API's guard puts on the request). */
  caller(user: Pick<TestUser, 'token'>): AuthUser {
    const caller = this.get(AccessTokenService).verify(user.token);
    if (!caller) throw new Error('the test user has no valid sign-in');
    return caller;
  }

  /** After a change made straight in the database: the services forget what they cached about it. */
  async identityChanged(change: IdentityChange): Promise<void> {
    let changes: IdentityChanges;
    try {
      changes = this.get(IdentityChanges);
    } catch {
      return; // A module without identity caches nothing about people.
    }
    await changes.announce(change);
  }

  async close(): Promise<void> {
    // What the module stored in Redis (queued jobs above all), removed while its connection is open.
    await deleteRedisPrefix(this.get(RedisService).client, `${this.config.queuePrefix}:`).catch(() => undefined);
    await this.module.close().catch(() => undefined);
    await this.pg.end();
    await this.database.drop();
    this.storage.remove();
  }
}

/** Starts a `MediumModule` (see there). */
export function mediumModule(options: MediumOptions): Promise<MediumModule> {
  return MediumModule.start(options);
}
