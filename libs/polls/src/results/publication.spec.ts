import { QuestionKind } from '../entities/enums';
import type { QuestionSpec } from '../services/answers';
import { columnsOf } from '../services/results.service';
import { auditFigures, Profile, profileKey } from './disclosure-audit';
import { PollTally, publishResults } from './publication';

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
});
