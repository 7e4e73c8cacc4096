import { QuestionKind } from '../entities/enums';
import type { QuestionSpec } from '../services/answers';
import { columnsOf } from '../services/results.service';
import { auditFigures, Profile, profileKey } from './disclosure-audit';
import { PollTally, publishResults } from './publication';
import { bordaCount, instantRunoff } from './ranked';

const question = (id: string, options = ['A', 'B', 'C']): QuestionSpec => ({
  id,
  position: Number(id.slice(1)),
  kind: QuestionKind.SingleChoice,
  prompt: id,
  required: true,
  minChoices: 0,
  maxChoices: null,
  options: options.map((label, i) => ({ id: `${id}-${i}`, label })),
});

/** Every member votes; `answers[i][q]` is member i's option index for question q. */
function tally(threshold: number, members: Profile[], answers: number[][], specs: QuestionSpec[]): PollTally {
  const cells = new Map<string, { profile: Profile; members: number }>();
  const out: PollTally = {
    threshold,
    electorate: [],
    ballots: new Map(),
    questions: specs.map((spec) => ({ spec, columns: columnsOf(spec), answers: new Map(), answered: new Map() })),
  };
  members.forEach((p, i) => {
    const key = profileKey(p);
    cells.set(key, { profile: p, members: (cells.get(key)?.members ?? 0) + 1 });
    out.ballots.set(key, (out.ballots.get(key) ?? 0) + 1);
    out.questions.forEach((q, qi) => {
      const counts = q.answers.get(key) ?? q.columns.map(() => 0);
      counts[answers[i][qi]] += 1;
      q.answers.set(key, counts);
      q.answered.set(key, (q.answered.get(key) ?? 0) + 1);
    });
  });
  out.electorate = [...cells.values()];
  return out;
}

const member = (region: string, profession = 'PWP', careerStage = 'qualified'): Profile => ({
  profession,
  careerStage,
  region,
});

describe('publishResults', () => {
  it('decides group totals once per poll, and hides every cell of a row whose total is hidden', async () => {
    const regions = [...Array(9).fill('london'), ...Array(6).fill('midlands'), ...Array(3).fill('north_west')];
    const members = regions.map((r) => member(r));
    const answers = members.map((_, i) => [i % 3, (i * 2) % 3]);
    const specs = [question('q0'), question('q1')];
    const publication = await publishResults(tally(5, members, answers, specs), true);
    const totals = publication.questions.map((q) => q.breakdowns!.region!.rows.map((r) => [r.group, r.total]));
    expect(totals[0]).toEqual(totals[1]);
    for (const q of publication.questions) {
      for (const row of q.breakdowns!.region!.rows) {
        if (row.total === null) expect(row.cells.every((c) => c.count === null)).toBe(true);
      }
    }
    expect(publication.withheld.some((n) => n.dimension === 'region' && n.question === null)).toBe(true);
  });

  it('does not let a unanimous group that all responded give its members away', async () => {
    // Midlands (6) all answer C; everyone votes, so the member list says who they are.
    const members = [...Array(9).fill('london'), ...Array(6).fill('midlands')].map((r) => member(r));
    const answers = members.map((m, i) => [m.region === 'midlands' ? 2 : i % 2]);
    const specs = [question('q0')];
    const t = tally(5, members, answers, specs);
    const publication = await publishResults(t, true);
    const midlands = publication.questions[0].breakdowns!.region!.rows.find((r) => r.group === 'midlands')!;
    expect(midlands.cells[2].count).toBeNull();
    const report = await auditFigures(
      [{ kind: QuestionKind.SingleChoice, required: true, minChoices: 1, maxChoices: 1, columns: ['a', 'b', 'c'] }],
      members,
      {
        responses: publication.responses,
        questions: publication.questions.map((q) => ({
          respondents: q.respondents,
          counts: q.counts ?? [null, null, null],
          breakdowns: {
            region: q.breakdowns!.region!.rows.map((r) => ({
              group: r.group,
              total: r.total,
              cells: r.cells.map((c) => c.count),
            })),
          },
        })),
      },
    );
    expect(report.disclosures).toEqual([]);
  });

  it('withholds the answers of a question everyone answered alike when everyone voted, and says why', async () => {
    const members = Array.from({ length: 12 }, (_, i) => member(i < 6 ? 'london' : 'midlands'));
    const publication = await publishResults(
      tally(
        5,
        members,
        members.map(() => [1]),
        [question('q0')],
      ),
      true,
    );
    expect(publication.questions[0].counts).toBeNull();
    expect(publication.withheld.find((n) => n.question === 1)?.reason).toMatch(/not published/);
  });

  describe('ranked questions', () => {
    const ranked: QuestionSpec = { ...question('q0'), kind: QuestionKind.Ranked };
    const keys = ranked.options.map((o) => o.id);
    const audited = [{ kind: QuestionKind.Ranked, required: true, minChoices: 1, maxChoices: 3, columns: keys }];
    /** One cell of six members, all voting: `ballots` as option indices. */
    function rankedTally(ballots: number[][]): PollTally {
      const members = ballots.map(() => member('london'));
      const t = tally(
        5,
        members,
        ballots.map((b) => [b[0]]),
        [ranked],
      );
      t.questions[0].rankings = ballots.map((b) => b.map((j) => keys[j]));
      return t;
    }
    /** What an attacker reads: first preferences, and the rounds and points when shown. */
    const figuresOf = (ballots: number[][], withRanking: boolean) => {
      const rankings = ballots.map((b) => b.map((j) => keys[j]));
      const runoff = instantRunoff(keys, rankings);
      const borda = bordaCount(keys, rankings);
      return {
        responses: ballots.length,
        questions: [
          {
            respondents: ballots.length,
            counts: keys.map((_, j) => ballots.filter((b) => b[0] === j).length),
            breakdowns: {},
            ranking: withRanking
              ? {
                  rounds: runoff.rounds.map((round) => {
                    const continuing = Object.keys(round.counts).map((key) => keys.indexOf(key));
                    return {
                      continuing,
                      counts: continuing.map((j) => round.counts[keys[j]]),
                      exhausted: round.exhausted,
                    };
                  }),
                  borda: keys.map((key) => borda.points[key]),
                }
              : null,
          },
        ],
      };
    };
    // Three rank A first and three B first, and all six put C second: C's Borda points (6, one per
    // ballot, none of them first) say so, and everyone voted, so every member is known to rank C second.
    const cSecond = [
      [0, 2, 1],
      [0, 2, 1],
      [0, 2, 1],
      [1, 2, 0],
      [1, 2, 0],
      [1, 2, 0],
    ];

    it('the auditor sees a second preference that the rounds and points give away', async () => {
      const electorate = cSecond.map(() => member('london'));
      const withPoints = await auditFigures(audited, electorate, figuresOf(cSecond, true));
      expect(withPoints.disclosures).toContainEqual(
        expect.objectContaining({ kind: 'ranking', question: 0, position: 2, column: 2, members: 6 }),
      );
      // First preferences alone (3 and 3 in one group) determine nobody's ranking.
      expect((await auditFigures(audited, electorate, figuresOf(cSecond, false))).disclosures).toEqual([]);
    });

    it('withholds the rounds and points then, and says why', async () => {
      const publication = await publishResults(rankedTally(cSecond), true);
      expect(publication.questions[0]).toMatchObject({ counts: [3, 3, 0], rankingWithheld: true });
      expect(publication.withheld.find((n) => n.question === 1)?.reason).toMatch(/instant-runoff/);
    });

    it('publishes them when members of the group ranked differently', async () => {
      const mixed = [
        [0, 2, 1],
        [0, 2, 1],
        [0, 2, 1],
        [1, 0, 2],
        [1, 0, 2],
        [1, 0, 2],
      ];
      const electorate = mixed.map(() => member('london'));
      expect((await auditFigures(audited, electorate, figuresOf(mixed, true))).disclosures).toEqual([]);
      const publication = await publishResults(rankedTally(mixed), true);
      expect(publication.questions[0].rankingWithheld).toBeUndefined();
      expect(publication.withheld).toEqual([]);
    });
  });
});
