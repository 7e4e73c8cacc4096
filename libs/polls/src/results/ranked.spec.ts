import { bordaCount, instantRunoff } from './ranked';

const repeat = (times: number, ballot: string[]) => Array.from({ length: times }, () => [...ballot]);

describe('instant-runoff', () => {
  it('transfers the eliminated option’s ballots to their next choice', () => {
    // Worked by hand: round 1 A4 B3 C2 of 9 (no majority) → C out; its 2 ballots go to B → B5 of 9.
    const ballots = [...repeat(4, ['A', 'B', 'C']), ...repeat(3, ['B', 'C', 'A']), ...repeat(2, ['C', 'B', 'A'])];
    const result = instantRunoff(['A', 'B', 'C'], ballots);
    expect(result.rounds.map((r) => r.counts)).toEqual([
      { A: 4, B: 3, C: 2 },
      { A: 4, B: 5 },
    ]);
    expect(result.rounds[0].eliminated).toEqual(['C']);
    expect(result.winners).toEqual(['B']);
    expect(result.tieBreaks).toEqual([]);
  });

  it('breaks a tie for last place by the earlier round, and counts exhausted ballots out of the majority', () => {
    // R1: A7 B4 C3 D1 → D out (its ballot moves to C). R2: A7 B4 C4 – B and C tie; in R1 C had 3 < 4, so C out.
    // R3: A7 B4, C's four ballots rank nothing else → exhausted; 7 of 11 continuing is a majority.
    const ballots = [...repeat(7, ['A']), ...repeat(4, ['B']), ...repeat(3, ['C']), ['D', 'C']];
    const result = instantRunoff(['A', 'B', 'C', 'D'], ballots);
    expect(result.rounds.map((r) => [r.counts, r.exhausted, r.eliminated])).toEqual([
      [{ A: 7, B: 4, C: 3, D: 1 }, 0, ['D']],
      [{ A: 7, B: 4, C: 4 }, 0, ['C']],
      [{ A: 7, B: 4 }, 4, []],
    ]);
    expect(result.tieBreaks).toEqual([{ round: 2, tied: ['B', 'C'], by: 'previous_rounds' }]);
    expect(result.winners).toEqual(['A']);
  });

  it('breaks a first-round tie by Borda points', () => {
    // R1: A5 B4 C3 D3. Borda (3,2,1,0): A15 B18 C15 D9 → D out, its ballots go to C.
    // R2: A5 B4 C6 → B out (its ballots exhaust). R3: A5 C6 of 11 → C.
    const ballots = [...repeat(5, ['A']), ...repeat(4, ['B']), ...repeat(3, ['C', 'B']), ...repeat(3, ['D', 'C'])];
    const result = instantRunoff(['A', 'B', 'C', 'D'], ballots);
    expect(result.tieBreaks).toEqual([{ round: 1, tied: ['C', 'D'], by: 'borda' }]);
    expect(result.rounds.map((r) => r.counts)).toEqual([
      { A: 5, B: 4, C: 3, D: 3 },
      { A: 5, B: 4, C: 6 },
      { A: 5, C: 6 },
    ]);
    expect(result.winners).toEqual(['C']);
  });

  it('eliminates options together when no rule separates them', () => {
    // R1: A2 B1 C1 of 4: no majority; B and C tie on every rule → both out. R2: A2 of 2.
    const result = instantRunoff(['A', 'B', 'C'], [['A'], ['A'], ['B'], ['C']]);
    expect(result.rounds[0].eliminated).toEqual(['B', 'C']);
    expect(result.tieBreaks).toEqual([{ round: 1, tied: ['B', 'C'], by: 'eliminated_together' }]);
    expect(result.winners).toEqual(['A']);
  });

  it('declares a shared win when the last options cannot be separated', () => {
    const result = instantRunoff(['A', 'B'], [...repeat(2, ['A', 'B']), ...repeat(2, ['B', 'A'])]);
    expect(result.winners).toEqual(['A', 'B']);
    expect(result.rounds).toHaveLength(1);
  });

  it('has no winner without ballots', () => {
    expect(instantRunoff(['A', 'B'], []).winners).toEqual([]);
  });
});

describe('Borda count', () => {
  it('gives n−1 points for a first choice down to 0, and 0 for unranked options', () => {
    // n = 3: A = 4×2 = 8; B = 4×1 + 3×2 + 2×1 = 12; C = 3×1 + 2×2 = 7.
    const ballots = [...repeat(4, ['A', 'B', 'C']), ...repeat(3, ['B', 'C', 'A']), ...repeat(2, ['C', 'B'])];
    const result = bordaCount(['A', 'B', 'C'], ballots);
    expect(result.points).toEqual({ A: 8, B: 12, C: 7 });
    expect(result.ranking.map((r) => [r.optionId, r.place])).toEqual([
      ['B', 1],
      ['A', 2],
      ['C', 3],
    ]);
    expect(result.winners).toEqual(['B']);
  });

  it('lets equal points share a place and the win', () => {
    // n = 3: A = 2 + 1 = 3, B = 1 + 2 = 3, C = 0.
    const result = bordaCount(
      ['A', 'B', 'C'],
      [
        ['A', 'B', 'C'],
        ['B', 'A', 'C'],
      ],
    );
    expect(result.ranking.map((r) => [r.optionId, r.points, r.place])).toEqual([
      ['A', 3, 1],
      ['B', 3, 1],
      ['C', 0, 3],
    ]);
    expect(result.winners).toEqual(['A', 'B']);
  });
});
