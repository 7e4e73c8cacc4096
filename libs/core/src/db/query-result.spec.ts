import { namedStatement, queryNamed, readQueryResult } from './query-result';

describe('readQueryResult', () => {
  it('reads UPDATE/DELETE … RETURNING answers ([rows, count]) as their rows and count', () => {
    expect(readQueryResult([[{ id: 'a' }], 1])).toEqual({ rows: [{ id: 'a' }], count: 1 });
    expect(readQueryResult([[], 0])).toEqual({ rows: [], count: 0 });
    expect(readQueryResult([[], 3])).toEqual({ rows: [], count: 3 }); // UPDATE without RETURNING
  });

  it('reads SELECT and INSERT … RETURNING answers (plain rows), even two rows long', () => {
    expect(readQueryResult([{ id: 'a' }, { id: 'b' }])).toEqual({ rows: [{ id: 'a' }, { id: 'b' }], count: 2 });
    expect(readQueryResult([])).toEqual({ rows: [], count: 0 });
    expect(readQueryResult(undefined)).toEqual({ rows: [], count: 0 });
  });
});

describe('namedStatement', () => {
  it('keeps one text per name', () => {
    namedStatement('spec_one_text', 'SELECT 1');
    expect(() => namedStatement('spec_one_text', 'SELECT 1')).not.toThrow();
    expect(() => namedStatement('spec_one_text', 'SELECT 2')).toThrow('already used for another text');
    expect(() => namedStatement('x'.repeat(64), 'SELECT 1')).toThrow("longer than PostgreSQL's 63 characters");
  });

  it('hands node-postgres a fresh { name, text } config with the values', async () => {
    const calls: unknown[][] = [];
    const db = { query: async (...args: unknown[]) => (calls.push(args), [{ n: 2 }]) };
    const statement = namedStatement('spec_config', 'SELECT $1::int + 1 AS n');
    expect(await queryNamed(db, statement, [1])).toEqual([{ n: 2 }]);
    expect(calls).toEqual([[{ name: 'spec_config', text: 'SELECT $1::int + 1 AS n' }, [1]]]);
    expect(calls[0][0]).not.toBe(statement);
  });
});
