import fc from 'fast-check';
import { QuestionKind } from '../entities/enums';
import { anonymousPollArbitrary, buildAnonymousPoll } from '../../../../test/polls-property';
import { NoisyCell, publishAnonymous } from './anonymous-publication';
import { disclosuresOf, publishAnonymousChecked } from './non-disclosure';

const inputOf = (shape: Parameters<typeof buildAnonymousPoll>[0]) => {
  const { specs, snapshot, voters } = buildAnonymousPoll(shape);
  return {
    input: { threshold: shape.threshold, questions: specs, electorate: snapshot, ballots: voters.map((v) => v.ballot) },
    voters,
  };
};

describe('non-disclosure step of the anonymous publication', () => {
  jest.setTimeout(600_000);

  it('publishes true counts that determine nothing for any reader, groups answering as one and bases of k or more included', async () => {
    // Why the step ends: with no noise, moving one ballot (not the reader's own) from one answer to
    // another changes each count it is in by one, which stays inside every window [t − 2, t + 2] ∩ [0, base].
    const shapes = fc
      .sample(anonymousPollArbitrary, { numRuns: 40, seed: 99 })
      .map((s, i) => ({ ...s, turnout: i % 2 ? 1 : s.turnout, ineligible: 0, conformity: i % 3 ? 1 : s.conformity }));
    let bases = 0;
    for (const shape of shapes) {
      const { input, voters } = inputOf(shape);
      const log: NoisyCell[] = [];
      publishAnonymous(input, { log });
      const exact = publishAnonymous(input, { exact: new Set(log.map((c) => c.identity)) });
      expect(await disclosuresOf(input, exact)).toEqual([]);
      if (voters.length >= shape.threshold) bases += 1;
    }
    expect(bases).toBeGreaterThan(20);
  });

  it('sets exact the counts whose drawn noise would pin an answer, and nothing is determined after it', async () => {
    // A three-option question at full turnout, each group answering as one (so options stay empty):
    // among the draws of record keys some pin a member's answer or a "did not choose" (what the
    // publication without the step gave away), and the step removes every one of them.
    const shape = {
      members: 12,
      threshold: 3 as const,
      groups: [2, 2, 1] as [number, number, number],
      skew: 0,
      turnout: 1,
      ineligible: 0,
      conformity: 1,
      questions: [{ kind: QuestionKind.SingleChoice, required: true, options: 3, limits: [0, 0] as [number, number] }],
      seed: 7,
    };
    const { input } = inputOf(shape);
    let pinned = 0;
    for (let draw = 0; draw < 300 && pinned < 3; draw += 1) {
      const drawn = {
        ...input,
        ballots: input.ballots.map((b, i) => ({ ...b, recordKey: (b.recordKey * 5 + draw * 37 + i * 13) % 256 })),
      };
      const plain = publishAnonymous(drawn);
      if (!(await disclosuresOf(drawn, plain))!.length) continue;
      pinned += 1;
      const checked = await publishAnonymousChecked(drawn);
      expect(checked.exact).toBeGreaterThan(0);
      expect(await disclosuresOf(drawn, checked.publication)).toEqual([]);
      // Only counts that the drawn noise moved can differ, and each differs by being its true count.
      const truth = [0, 1, 2].map((j) => drawn.ballots.filter((b) => b.rows[0].optionId === `q0o${j}`).length);
      checked.publication.questions[0].counts!.forEach((count, j) => {
        expect([plain.questions[0].counts![j], truth[j]]).toContain(count);
      });
    }
    expect(pinned).toBeGreaterThan(0);
  });
});
