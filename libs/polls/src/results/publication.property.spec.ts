import fc from 'fast-check';
import { QuestionKind } from '../entities/enums';
import { checkPoll, pollArbitrary, pollArbitraryOf } from '../../../../test/polls-property';

/**
 * Random polls, published and then attacked (see test/polls-property.ts). The attacker reads the
 * results JSON, checks that results.csv and the summary publish nothing the JSON does not, knows the
 * member list, and must not determine any member's answer or any hidden cell, nor any position of a
 * member's ranking (ranked questions publish instant-runoff rounds and Borda points as well as first
 * preferences). `POLLS_PROPERTY_RUNS` changes the count of mixed polls (ranked-only polls are a
 * thirtieth of it on top); `npm run bench -- polls-property` runs more.
 */
const RUNS = Number(process.env.POLLS_PROPERTY_RUNS ?? 300);
// Ranked-only polls are much slower to attack (one unknown per possible ranking, solves per position).
const RANKED_RUNS = Math.max(1, Math.round(RUNS / 30));

describe('publication under attack (property)', () => {
  jest.setTimeout(900_000);

  it(`never lets the member list and the published figures determine an answer, over ${RUNS} random polls`, async () => {
    let published = 0;
    let withheldSomething = 0;
    await fc.assert(
      fc.asyncProperty(pollArbitrary, async (shape) => {
        const check = await checkPoll(shape);
        expect(check.extra).toEqual([]);
        expect(check.disclosures).toEqual([]);
        published += 1;
        if (check.withheld) withheldSomething += 1;
      }),
      { numRuns: RUNS },
    );
    expect(published).toBe(RUNS);
    // The generator does reach the interesting cases.
    expect(withheldSomething).toBeGreaterThan(RUNS / 10);
  });

  it(`never lets rounds and points determine a member's ranking, over ${RANKED_RUNS} random ranked polls`, async () => {
    let published = 0;
    let rankingWithheld = 0;
    await fc.assert(
      fc.asyncProperty(pollArbitraryOf([QuestionKind.Ranked]), async (shape) => {
        const check = await checkPoll(shape);
        expect(check.extra).toEqual([]);
        expect(check.disclosures).toEqual([]);
        published += 1;
        if (check.rankingWithheld) rankingWithheld += 1;
      }),
      { numRuns: RANKED_RUNS },
    );
    expect(published).toBe(RANKED_RUNS);
    // Some polls had rounds and points that would have given rankings away.
    expect(rankingWithheld).toBeGreaterThan(0);
  });
});
