import fc from 'fast-check';
import { checkPoll, pollArbitrary } from '../../../../test/polls-property';

/**
 * Random polls, published and then attacked (see test/polls-property.ts). The attacker reads the
 * results JSON, checks that results.csv and the summary publish nothing the JSON does not, knows the
 * member list, and must not determine any member's answer or any hidden cell. `POLLS_PROPERTY_RUNS`
 * changes the count; `npm run bench -- polls-property` runs more.
 */
const RUNS = Number(process.env.POLLS_PROPERTY_RUNS ?? 300);

describe('publication under attack (property)', () => {
  jest.setTimeout(600_000);

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
});
