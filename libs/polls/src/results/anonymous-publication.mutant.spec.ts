import fc from 'fast-check';
import { QuestionKind } from '../entities/enums';
import {
  AnonymousPublisher,
  anonymousPollArbitrary,
  AnonymousPollShape,
  checkAnonymousPoll,
} from '../../../../test/polls-property';
import { publishAnonymous } from './anonymous-publication';
import { MAX_NOISE } from './cell-key';
import { publishAnonymousChecked } from './non-disclosure';

/**
 * What the property suite catches when the model is weakened. Two mutants of the publication rule:
 * - exact counts (the cell-key perturbation switched off, everything else unchanged), attacked by a
 *   reader who knows the rule (so reads every count as exact);
 * - withholding a question's counts whenever some group answered it unanimously (the old auditor's
 *   habit: a rule that depends on the answers).
 * The suite must find a disclosure against the first and an answer-dependent publication in the
 * second, on the same kind of random polls the product's rule passes.
 */
jest.mock('./cell-key', () => {
  const actual = jest.requireActual('./cell-key');
  return {
    ...actual,
    // Switched on per test below.
    perturb: (count: number, key: number, base: number) =>
      mockExactCounts ? Math.max(0, Math.min(base, count)) : actual.perturb(count, key, base),
  };
});

let mockExactCounts = false;

const SAMPLES = 60;
const STEP_POLLS = 40;
const STEP_DRAWS = 10;
const fullTurnout = (shapes: AnonymousPollShape[]) =>
  shapes.map((s) => ({ ...s, turnout: 1, ineligible: 0, members: Math.min(s.members, 25) }));

describe('mutant publication rules are caught', () => {
  jest.setTimeout(600_000);
  afterEach(() => (mockExactCounts = false));

  it('finds members whose answers exact counts give away', async () => {
    mockExactCounts = true;
    const shapes = fullTurnout(fc.sample(anonymousPollArbitrary, { numRuns: SAMPLES, seed: 2026 }));
    let caught = 0;
    for (const shape of shapes) {
      const check = await checkAnonymousPoll(shape, publishAnonymous, 0);
      if (check.coChair.length || check.ownBallot.length || check.negatives.length) caught += 1;
    }
    console.log(`exact-count mutant: disclosures found in ${caught} of ${SAMPLES} polls`);
    expect(caught).toBeGreaterThan(SAMPLES / 4);
  });

  it('finds what the non-disclosure step prevents when it is switched off', async () => {
    // Small polls at full turnout where groups answer as one (empty options, edges of windows),
    // each published under several draws of record keys: with the step off, the drawn noise sometimes
    // pins a member's answer or a "did not choose"; with it on (the product's rule), never.
    const shapes = fc.sample(anonymousPollArbitrary, { numRuns: STEP_POLLS, seed: 4242 }).map((s) => ({
      ...s,
      turnout: 1,
      ineligible: 0,
      members: 8 + (Math.abs(s.seed) % 8),
      groups: [2, 2, 1] as [number, number, number],
      skew: 0,
      conformity: 1,
      questions: [{ kind: QuestionKind.SingleChoice, required: true, options: 3, limits: [0, 0] as [number, number] }],
    }));
    let publications = 0;
    let caught = 0;
    let caughtWithStep = 0;
    for (const shape of shapes) {
      for (let draw = 0; draw < STEP_DRAWS; draw += 1) {
        const rekey = (input: Parameters<AnonymousPublisher>[0]) => ({
          ...input,
          ballots: input.ballots.map((b, i) => ({ ...b, recordKey: (b.recordKey * 7 + draw * 53 + i * 11) % 256 })),
        });
        const off: AnonymousPublisher = (input) => publishAnonymous(rekey(input));
        const check = await checkAnonymousPoll(shape, off);
        publications += 1;
        if (!(check.coChair.length || check.ownBallot.length || check.negatives.length)) continue;
        caught += 1;
        const on: AnonymousPublisher = async (input) => (await publishAnonymousChecked(rekey(input))).publication;
        const again = await checkAnonymousPoll(shape, on, MAX_NOISE, off);
        if (again.coChair.length || again.ownBallot.length || again.negatives.length) caughtWithStep += 1;
      }
    }
    console.log(
      `non-disclosure step off: disclosures found in ${caught} of ${publications} publications; with the step on: ${caughtWithStep}`,
    );
    expect(caught).toBeGreaterThan(0);
    expect(caughtWithStep).toBe(0);
  });

  it('finds that withholding unanimous tables makes what is shown depend on the answers', async () => {
    const unanimousWithheld: AnonymousPublisher = (input) => {
      const publication = publishAnonymous(input);
      input.questions.forEach((q, qi) => {
        if (q.kind === QuestionKind.FreeText) return;
        // A shown row (at least k ballots) of any breakdown in which everyone gave the same answer.
        const unanimous = (['profession', 'careerStage', 'region'] as const).some((d) => {
          const byGroup = new Map<string, string[]>();
          for (const b of input.ballots) {
            const answer = JSON.stringify(
              b.rows.filter((r) => r.questionId === q.id).map((r) => r.optionId ?? r.value),
            );
            byGroup.set(b.profile[d], [...(byGroup.get(b.profile[d]) ?? []), answer]);
          }
          return [...byGroup.values()].some((a) => a.length >= input.threshold && new Set(a).size === 1);
        });
        if (unanimous) {
          publication.questions[qi] = { respondents: publication.questions[qi].respondents, counts: null };
          publication.withheld.push({ question: qi + 1, dimension: null, reason: 'a group answered as one' });
        }
      });
      return publication;
    };
    const shapes = fullTurnout(fc.sample(anonymousPollArbitrary, { numRuns: SAMPLES, seed: 7 }));
    let caught = 0;
    for (const shape of shapes) {
      if ((await checkAnonymousPoll(shape, unanimousWithheld)).maskDependsOnAnswers) caught += 1;
    }
    console.log(`unanimity-withholding mutant: answer-dependent publication in ${caught} of ${SAMPLES} polls`);
    expect(caught).toBeGreaterThan(0);
  });
});
