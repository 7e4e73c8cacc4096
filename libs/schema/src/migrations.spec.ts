import type { MigrationInterface } from 'typeorm';
import type { MigrationClass } from '@cophub/core';
import { ALL_MIGRATIONS, MIGRATIONS_BY_MODULE, migrationListProblems } from './migrations';

/** A stand-in migration class with the given class name (TypeORM reads the timestamp from it). */
function fake(name: string, recorded = name): MigrationClass {
  const cls = class implements MigrationInterface {
    name = recorded;
    async up(): Promise<void> {}
    async down(): Promise<void> {}
  };
  Object.defineProperty(cls, 'name', { value: name });
  return cls;
}

describe('the collected migrations', () => {
  it('are every module’s migrations, once each, in timestamp order, no two sharing a timestamp', () => {
    expect(migrationListProblems(ALL_MIGRATIONS)).toEqual([]);
    const listed = Object.values(MIGRATIONS_BY_MODULE).flat();
    expect(ALL_MIGRATIONS).toHaveLength(listed.length);
    expect(new Set(ALL_MIGRATIONS).size).toBe(ALL_MIGRATIONS.length);
    for (const migration of listed) expect(ALL_MIGRATIONS).toContain(migration);
  });

  it('lists each module’s own migrations in order too', () => {
    for (const [module, list] of Object.entries(MIGRATIONS_BY_MODULE)) {
      expect({ module, problems: migrationListProblems(list) }).toEqual({ module, problems: [] });
    }
  });

  it('refuses a list with two migrations at one timestamp, one out of order, or a name without a timestamp', () => {
    expect(migrationListProblems([fake('A1795000000000'), fake('B1795000000000')])).toEqual([
      'B1795000000000 and A1795000000000 share the timestamp 1795000000000',
    ]);
    expect(migrationListProblems([fake('Later1795000000001'), fake('Earlier1795000000000')])).toEqual([
      'Earlier1795000000000 is listed after a later migration',
    ]);
    expect(migrationListProblems([fake('NoTimestamp')])).toEqual([
      'NoTimestamp does not end with a 13-digit timestamp',
    ]);
    expect(migrationListProblems([fake('Renamed1795000000000', 'Other1795000000000')])).toEqual([
      'Renamed1795000000000 records itself as Other1795000000000',
    ]);
  });
});
