import { QuestionKind } from '../entities/enums';
import type { QuestionSpec } from '../services/answers';
import { AnonymousPublication, OpenedBallot, publishAnonymous, shownGroups } from './anonymous-publication';
import { MAX_NOISE, noiseFor, NOISE_DISTRIBUTION, perturb, RECORD_KEY_RANGE } from './cell-key';
import { Profile } from './disclosure-audit';

const yesNo: QuestionSpec = {
  id: 'q1',
  position: 0,
  kind: QuestionKind.SingleChoice,
  prompt: 'Yes or no?',
  required: true,
  minChoices: 0,
  maxChoices: null,
  options: [
    { id: 'yes', label: 'Yes' },
    { id: 'no', label: 'No' },
  ],
};

const profile = (profession = 'pwp', careerStage = 'qualified', region = 'london'): Profile => ({
  profession,
  careerStage,
  region,
});

function ballot(p: Profile, option: string, recordKey: number): OpenedBallot {
  return {
    profile: p,
    recordKey,
    rows: [{ questionId: 'q1', ordinal: 0, optionId: option, rank: null, value: null, text: null }],
  };
}

/** A fixed pseudo-random sequence, so a failure can be replayed. */
function keys(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return (x >>> 12) % RECORD_KEY_RANGE;
  };
}

const mask = (publication: AnonymousPublication) =>
  publication.questions.map((q) => ({
    counts: q.counts === null,
    rows: Object.fromEntries(
      Object.entries(q.breakdowns ?? {}).map(([d, t]) => [
        d,
        t!.rows.map((r) => [r.group, r.total, r.totalSuppressed]),
      ]),
    ),
  }));

describe('publishAnonymous', () => {
  it('moves every count by at most 2 and keeps it between 0 and its base', () => {
    const next = keys(7);
    for (let run = 0; run < 200; run += 1) {
      const yes = run % 7;
      const ballots = Array.from({ length: 6 }, (_, i) => ballot(profile(), i < yes ? 'yes' : 'no', next()));
      const published = publishAnonymous({ threshold: 5, questions: [yesNo], electorate: [], ballots });
      const [y, n] = published.questions[0].counts!;
      expect(Math.abs(y - Math.min(yes, 6))).toBeLessThanOrEqual(MAX_NOISE);
      expect(Math.abs(n - (6 - Math.min(yes, 6)))).toBeLessThanOrEqual(MAX_NOISE);
      for (const c of [y, n]) expect(c >= 0 && c <= 6).toBe(true);
    }
  });

  // Yes 5 / No 1 with full turnout used to be published exactly: the "No" voter subtracted their own
  // ballot and knew the other five said Yes. Now the published Yes count is consistent with the others
  // having given 3, 4 or 5 Yes answers, whatever the cell keys.
  it('leaves the No voter of Yes 5 / No 1 unable to tell that the other five said Yes', () => {
    const next = keys(11);
    let seen = 0;
    for (let run = 0; run < 300; run += 1) {
      const ballots = Array.from({ length: 6 }, (_, i) => ballot(profile(), i < 5 ? 'yes' : 'no', next()));
      const [y, n] = publishAnonymous({ threshold: 5, questions: [yesNo], electorate: [], ballots }).questions[0]
        .counts!;
      // Every true Yes count in 1 … 5 (the No voter knows theirs) whose window holds both published figures.
      const possible = [1, 2, 3, 4, 5]
        .filter((t) => Math.abs(Math.min(6, y) - t) <= MAX_NOISE || (y === 6 && t >= 4) || (y === 0 && t <= 2))
        .filter((t) => Math.abs(n - (6 - t)) <= MAX_NOISE || (n === 0 && 6 - t <= 2) || (n === 6 && 6 - t >= 4));
      expect(possible.length).toBeGreaterThanOrEqual(2);
      if (possible.includes(5)) seen += 1;
    }
    expect(seen).toBe(300);
  });

  it('publishes no counts from fewer than k ballots, and says why', () => {
    const ballots = Array.from({ length: 4 }, (_, i) => ballot(profile(), 'yes', i));
    const published = publishAnonymous({ threshold: 5, questions: [yesNo], electorate: [], ballots });
    expect(published.questions[0].counts).toBeNull();
    expect(published.withheld[0].reason).toMatch(/fewer than 5 people responded/);
  });

  it('decides what is shown from who responded only: any answers give the same tables and notes', () => {
    const electorate = [
      ...Array.from({ length: 8 }, () => profile('pwp')),
      ...Array.from({ length: 6 }, () => profile('emhp')),
      ...Array.from({ length: 2 }, () => profile('mhwp')),
    ];
    const next = keys(3);
    let reference: unknown = null;
    let notes: string[] | null = null;
    for (let run = 0; run < 50; run += 1) {
      const ballots = electorate.map((p) => ballot(p, next() % 2 ? 'yes' : 'no', next()));
      const published = publishAnonymous({ threshold: 5, questions: [yesNo], electorate, ballots });
      reference ??= mask(published);
      notes ??= published.withheld.map((n) => n.reason);
      expect(mask(published)).toEqual(reference);
      expect(published.withheld.map((n) => n.reason)).toEqual(notes);
    }
    // MHWP (2) is under k, so the next smallest (EMHP, 6) is hidden with it.
    const rows = (reference as ReturnType<typeof mask>)[0].rows.profession as Array<[string, number | null, boolean]>;
    expect(rows).toEqual([
      ['emhp', null, true],
      ['mhwp', null, true],
      ['pwp', 8, false],
    ]);
  });

  it('hides a second group when exactly one would be hidden, from the bases alone', () => {
    expect(
      [
        ...shownGroups(
          new Map([
            ['a', 9],
            ['b', 7],
            ['c', 2],
          ]),
          5,
        ),
      ].sort(),
    ).toEqual(['a']);
    expect(
      [
        ...shownGroups(
          new Map([
            ['a', 9],
            ['b', 3],
            ['c', 2],
          ]),
          5,
        ),
      ].sort(),
    ).toEqual(['a']);
    expect(
      [
        ...shownGroups(
          new Map([
            ['a', 9],
            ['b', 7],
            ['c', 0],
          ]),
          5,
        ),
      ].sort(),
    ).toEqual(['a', 'b']);
  });

  it('shows the same count for the same ballots wherever they appear', () => {
    // Everyone is a qualified PWP in London, in two professions' worth of electorate: the PWP row is the
    // same ballots as the overall result, so it must show the same numbers.
    const electorate = [...Array.from({ length: 10 }, () => profile()), profile('emhp')];
    const next = keys(5);
    for (let run = 0; run < 50; run += 1) {
      const ballots = Array.from({ length: 10 }, (_, i) => ballot(profile(), i % 3 ? 'yes' : 'no', next()));
      const q = publishAnonymous({ threshold: 5, questions: [yesNo], electorate, ballots }).questions[0];
      const pwp = q.breakdowns!.profession!.rows.find((r) => r.group === 'pwp')!;
      expect(pwp.cells.map((c) => c.count)).toEqual(q.counts);
    }
  });

  it('moves zeros too, so "did not choose" is never exact', () => {
    const next = keys(9);
    const shown = new Set<number>();
    for (let run = 0; run < 100; run += 1) {
      const ballots = Array.from({ length: 10 }, () => ballot(profile(), 'yes', next()));
      shown.add(
        publishAnonymous({ threshold: 5, questions: [yesNo], electorate: [], ballots }).questions[0].counts![1],
      );
    }
    expect([...shown].sort()).toEqual([0, 1, 2]);
  });

  it('uses a perturbation table with mean 0 whose every published 0 and base is reachable from two true values', () => {
    const mean = Object.entries(NOISE_DISTRIBUTION).reduce((sum, [noise, p]) => sum + Number(noise) * p, 0);
    expect(Math.abs(mean)).toBeLessThan(1e-9);
    for (let base = 1; base <= 12; base += 1) {
      for (const target of [0, base]) {
        const from = new Set<number>();
        for (let count = 0; count <= base; count += 1) {
          for (let key = 0; key < RECORD_KEY_RANGE; key += 1) if (perturb(count, key, base) === target) from.add(count);
        }
        expect(from.size).toBeGreaterThanOrEqual(2);
      }
    }
    for (let key = 0; key < RECORD_KEY_RANGE; key += 1) expect(Math.abs(noiseFor(key, 3))).toBeLessThanOrEqual(2);
  });
});
