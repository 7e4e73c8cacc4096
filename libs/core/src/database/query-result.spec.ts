import { readQueryResult } from './query-result';

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
