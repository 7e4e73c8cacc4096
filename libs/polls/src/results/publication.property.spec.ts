import fc from 'fast-check';
import { QuestionKind } from '../entities/enums';
import { checkPoll, pollArbitrary, pollArbitraryOf, PollShape } from '../../../../test/polls-property';

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
    // Three members who all vote, in one cell, ranking three options: their rounds and points would
    // give rankings away, so the publication must withhold them and still disclose nothing. This poll
    // is fixed so that the withholding path is exercised on every run, whatever the random polls are.
    const revealing: PollShape = {
      members: 3,
      threshold: 3,
      groups: [1, 1, 1],
      skew: 0,
      turnout: 1,
      conformity: 0,
      questions: [{ kind: QuestionKind.Ranked, required: true, options: 3, limits: [0, 0] }],
      seed: 1,
    };
    const known = await checkPoll(revealing);
    expect(known.rankingWithheld).toBe(true);
    expect(known.extra).toEqual([]);
    expect(known.disclosures).toEqual([]);

    let published = 0;
    await fc.assert(
      fc.asyncProperty(pollArbitraryOf([QuestionKind.Ranked]), async (shape) => {
        const check = await checkPoll(shape);
        expect(check.extra).toEqual([]);
        expect(check.disclosures).toEqual([]);
        published += 1;
      }),
      { numRuns: RANKED_RUNS },
    );
    expect(published).toBe(RANKED_RUNS);
  });
});
