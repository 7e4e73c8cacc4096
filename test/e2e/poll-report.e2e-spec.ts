import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countRows, createCommunity, createMember, TestCommunity, TestStack, TestUser } from '@cophub/testing';
import { RANKED_RULES } from '@cophub/polls';
import { parseCsv } from '../polls-attacker';
import { bulkMembers, closePoll, createPoll, CreatedPoll, openPoll, vote } from './polls.helpers';

/**
 * What a co-chair takes to the Workforce Council: results.csv (for a spreadsheet) and the council
 * report (PDF), from a five-question anonymous poll with real ballots. The PDF is rendered with
 * poppler (`pdftoppm`, `pdftotext`) and read the way a person would: how many pages, how full each
 * one is, and what words are on them.
 */

const RAW_CODES = [
  'north_west',
  'london',
  'qualified',
  'trainee',
  'senior',
  'career_stage',
  'careerStage',
  'single_choice',
  'multiple_choice',
  'free_text',
  'likert',
];

/** Whole words, case-sensitive: "Qualified" is a label, "qualified" a stored code. */
const codesIn = (text: string) =>
  RAW_CODES.filter((code) => new RegExp(`(^|[^A-Za-z_])${code}($|[^A-Za-z_])`).test(text));

/** A binary PGM (P5) image: width, height and one byte of grey per pixel. */
function readPgm(file: string): { width: number; height: number; pixels: Buffer } {
  const data = readFileSync(file);
  const tokens: string[] = [];
  let i = 0;
  while (tokens.length < 4) {
    while (/\s/.test(String.fromCharCode(data[i]))) i += 1;
    if (data[i] === 0x23) {
      while (data[i] !== 0x0a) i += 1;
      continue;
    }
    let token = '';
    while (!/\s/.test(String.fromCharCode(data[i]))) token += String.fromCharCode(data[i++]);
    tokens.push(token);
  }
  expect(tokens[0]).toBe('P5');
  const [width, height] = [Number(tokens[1]), Number(tokens[2])];
  return { width, height, pixels: data.subarray(i + 1, i + 1 + width * height) };
}

/** How far down the page ink goes (0–1), and the share of pixel rows that carry any. */
function inkOf(file: string): { lowest: number; inkedRows: number } {
  const { width, height, pixels } = readPgm(file);
  let lowest = 0;
  let inked = 0;
  for (let y = 0; y < height; y += 1) {
    const row = pixels.subarray(y * width, (y + 1) * width);
    if (row.some((v) => v < 240)) {
      lowest = y;
      inked += 1;
    }
  }
  return { lowest: lowest / height, inkedRows: inked / height };
}

describe('poll results for the Workforce Council: CSV and PDF report', () => {
  let stack: TestStack;
  let community: TestCommunity;
  let coChair: TestUser;
  let member: TestUser;
  let outsider: TestUser;
  let poll: CreatedPoll;
  let work: string;

  const FREE_TEXTS = [
    '=HYPERLINK("http://example.com","click")',
    '+44 supervision hours would help',
    '-2 days of CPD this year',
    '@team leads, "protected time" please',
    'More clarity on band 6, please,\nwith a written route',
    'Peer supervision groups',
    'Funded top-up training',
  ];

  const NORTH_WEST_ROUTE = [0, 1, 0, 2, 1, 0, 1, 2, 0, 1, 2, 0, 1, 0, 2, 1, 0, 2, 1, 0];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'poll-report-'));
    stack = await TestStack.start({ smtp: false });
    community = await createCommunity(stack, { name: 'North West PWP Community of Practice' });
    coChair = await createMember(stack, community, 'co_chair', { careerStage: 'senior' });
    const other = await createCommunity(stack);
    outsider = await createMember(stack, other, 'co_chair');
    // 30 members: professions i % 4, stages i % 3; the last ten in London, the rest in the North West.
    const members = await bulkMembers(stack, community, 30);
    await stack.query(`UPDATE users SET region = 'london' WHERE id = ANY($1::uuid[])`, [
      members.slice(20).map((m) => m.id),
    ]);
    member = members[0];
    poll = await createPoll(stack, community, coChair, {
      title: 'Career progression for PWPs',
      context: 'For the **Workforce Council** meeting in March.',
      questions: [
        {
          kind: 'single_choice',
          prompt: 'Is there a clear route from band 5 to band 6?',
          options: ['Yes', 'No', 'Not sure'],
        },
        {
          kind: 'multiple_choice',
          prompt: 'Which would help you progress?',
          options: ['Supervision time', 'Funded training', 'Protected CPD days', 'Mentoring'],
          minChoices: 1,
          maxChoices: 2,
        },
        { kind: 'ranked', prompt: 'Rank the priorities for the council', options: ['Pay', 'Training', 'Workload'] },
        { kind: 'likert', prompt: 'I feel my role is understood by my service' },
        { kind: 'free_text', prompt: 'Anything else the council should hear?', required: false },
      ],
    });
    await openPoll(stack, poll.id, coChair);
    const [single, multiple, ranked, likert, text] = poll.questions;
    const ids = (q: typeof single) => q.options.map((o) => o.id);
    for (const [i, m] of members.slice(0, 28).entries()) {
      // Answers that do not follow profession (i % 4) or stage (i % 3), as real ones would not; on the
      // route question the North West splits 8 / 7 / 5 and London (8 of its 10 responding) says "No".
      const answers: object[] = [
        { questionId: single.id, optionIds: [ids(single)[i < 20 ? NORTH_WEST_ROUTE[i] : 1]] },
        {
          questionId: multiple.id,
          optionIds:
            i % 3 ? [ids(multiple)[(i * 3) % 4]] : [ids(multiple)[(i * 3) % 4], ids(multiple)[(i * 3 + 1) % 4]],
        },
        { questionId: ranked.id, ranking: [0, 1, 2].map((k) => ids(ranked)[(k + [0, 1, 1, 2, 0, 1, 2][i % 7]) % 3]) },
        { questionId: likert.id, value: 1 + ((i * 3 + 1) % 5) },
      ];
      if (i < FREE_TEXTS.length) answers.push({ questionId: text.id, text: FREE_TEXTS[i] });
      const response = await vote(stack, poll.id, m.token, answers);
      expect(response.status).toBe(201);
    }
    await closePoll(stack, poll.id, coChair);
  });

  afterAll(async () => {
    await stack?.close();
    if (work && !process.env.KEEP_REPORT) rmSync(work, { recursive: true, force: true });
  });

  const get = (path: string, token: string) =>
    stack
      .http()
      .get(path)
      .set('authorization', `Bearer ${token}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });

  it('publishes percentages that add up to exactly 100 and states the ranked-choice rules', async () => {
    const results = await stack
      .http()
      .get(`/api/v1/polls/${poll.id}/results`)
      .set('authorization', `Bearer ${member.token}`)
      .expect(200);
    const [single, multiple, ranked, likert] = results.body.questions;
    const tenths = (q: { counts: Array<{ percent: number }> }) =>
      q.counts.reduce((sum, c) => sum + Math.round(c.percent * 10), 0);
    for (const q of [single, ranked, likert]) expect(tenths(q)).toBe(1000);
    expect(multiple.percentNote).toMatch(/more than one answer/);
    expect(results.body.rankedRules).toBe(RANKED_RULES);
    expect(results.body.turnout).toEqual({ electorate: 31, responses: 28, percent: 90.3 });
    // Rows with hidden cells give percentages of the answers shown, and say so; the rest add up to 100.
    for (const table of Object.values(single.breakdowns) as Array<{
      rows: Array<{ totalSuppressed: boolean; percentOfShown: boolean; cells: Array<{ percent: number | null }> }>;
    }>) {
      for (const row of table.rows) {
        if (row.totalSuppressed) continue;
        const sum = row.cells.reduce((s, c) => s + Math.round((c.percent ?? 0) * 10), 0);
        if (row.cells.some((c) => c.percent !== null)) expect(sum).toBe(1000);
        if (row.percentOfShown) expect(row.cells.some((c) => c.percent === null)).toBe(true);
      }
    }
  });

  it('exports a CSV a spreadsheet reads right: byte-order mark, labels, written answers apart from any group, formulas neutralised', async () => {
    const response = await get(`/api/v1/polls/${poll.id}/results.csv`, coChair.token).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers['content-disposition']).toMatch(/attachment; filename="poll-.+-results\.csv"/);
    const bytes = response.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    const [header, ...rows] = parseCsv(text);
    expect(header[0]).toBe('Section');
    expect(rows.every((r) => r.length === header.length)).toBe(true);
    const col = (name: string) => header.indexOf(name);
    const section = (name: string) => rows.filter((r) => r[col('Section')] === name);

    // Labels, never codes.
    const groups = new Set(section('Breakdown').map((r) => r[col('Group')]));
    for (const label of [
      'North West',
      'London',
      'Qualified',
      'Trainee',
      'Psychological Wellbeing Practitioner (PWP)',
    ]) {
      expect(groups).toContain(label);
    }
    expect(new Set(section('Breakdown').map((r) => r[col('Breakdown')]))).toEqual(
      new Set(['Profession', 'Career stage', 'Region']),
    );
    expect(section('Result').map((r) => r[col('Answer')])).toEqual(
      expect.arrayContaining(['Yes', 'Not sure', 'Mentoring', 'Workload', 'Strongly agree']),
    );
    expect(codesIn(rows.flat().join('\n'))).toEqual([]);

    // Percentages of the single-choice question add up to 100.0.
    const single = section('Result').filter((r) => r[col('Question')] === '1');
    expect(single.reduce((sum, r) => sum + Math.round(Number(r[col('Percent')]) * 10), 0)).toBe(1000);
    // Hidden cells are empty and marked; a group is shown only from 5 respondents.
    const hidden = section('Breakdown').filter((r) => r[col('Hidden')] === 'yes');
    for (const r of hidden) expect(r[col('Count')]).toBe('');
    for (const r of section('Breakdown').filter((row) => row[col('Hidden')] !== 'yes')) {
      expect(Number(r[col('Group respondents')])).toBeGreaterThanOrEqual(5);
    }
    // The method says how the counts were protected, in plain words.
    expect(
      section('Method')
        .map((r) => r[col('Note')])
        .join(' '),
    ).toContain('each count is moved by a small random amount (up to 2)');

    // Written answers: all of them, in a section of their own with no group, formulas neutralised.
    const written = section('Written answer');
    expect(written.map((r) => r[col('Answer')]).sort()).toEqual(
      FREE_TEXTS.map((t) => (/^[=+\-@]/.test(t) ? `'${t}` : t)).sort(),
    );
    for (const r of written) {
      expect(r[col('Group')]).toBe('');
      expect(r[col('Breakdown')]).toBe('');
      expect(r[col('Group respondents')]).toBe('');
    }
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(text).toContain(`"'=HYPERLINK(""http://example.com"",""click"")"`);

    // The method, with the ranked-choice rules in the same words as everywhere else.
    expect(section('Method').map((r) => r[col('Note')])).toContain(RANKED_RULES);
    expect(section('Ranked result')[0][col('Note')]).toMatch(
      /^Instant-runoff winner: (Pay|Training|Workload) after \d round\(s\)\. Borda points: (\w+ \d+, ){2}\w+ \d+\.$/,
    );
  });

  it('draws the council report as an A4 PDF: at most 4 pages, none more than half blank but the last, labels and no codes', async () => {
    const response = await get(`/api/v1/polls/${poll.id}/report.pdf`, coChair.token).expect(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toMatch(/attachment; filename="poll-.+-report\.pdf"/);
    const pdf = join(work, 'report.pdf');
    writeFileSync(pdf, response.body as Buffer);
    expect((response.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');

    execFileSync('pdftoppm', ['-gray', '-r', '40', pdf, join(work, 'page')]);
    const pages = readdirSync(work)
      .filter((f) => f.startsWith('page') && f.endsWith('.pgm'))
      .sort();
    // A cover, then five questions packed two or more to a page.
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages.length).toBeLessThanOrEqual(1 + Math.ceil(5 / 2));
    const { width, height } = readPgm(join(work, pages[0]));
    expect(width / height).toBeCloseTo(210 / 297, 2);
    pages.slice(0, -1).forEach((page) => {
      const ink = inkOf(join(work, page));
      expect({ page, reachesPastHalf: ink.lowest > 0.5 }).toEqual({ page, reachesPastHalf: true });
    });

    const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString('utf8');
    const words = text.replace(/\s+/g, ' ');
    for (const expected of [
      'Career progression for PWPs',
      'North West PWP Community of Practice',
      'Turnout',
      '28 of 31 responded (90.3%)',
      'Is there a clear route from band 5 to band 6?',
      'Rank the priorities for the council',
      'Strongly agree',
      'North West',
      'London',
      'Qualified',
      'Trainee',
      'Method',
      'Instant runoff',
      'Peer supervision groups',
      'moved by a small random amount (up to 2)',
    ]) {
      expect(words).toContain(expected);
    }
    // Dates in UK time with their zone.
    expect(words).toMatch(/Opened \w{3} \d{1,2} \w+ \d{4}, \d{2}:\d{2} (GMT|BST)/);
    expect(codesIn(text)).toEqual([]);
  });

  it('gives the CSV and the report to co-chairs only, with a clear 4xx and no audit row for anyone else', async () => {
    const before = await countRows(stack, ['audit_log']);
    for (const path of [`/api/v1/polls/${poll.id}/results.csv`, `/api/v1/polls/${poll.id}/report.pdf`]) {
      expect((await stack.http().get(path)).status).toBe(401);
      const refused = await stack.http().get(path).set('authorization', `Bearer ${member.token}`);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ statusCode: 403, message: expect.any(String) });
      expect((await stack.http().get(path).set('authorization', `Bearer ${outsider.token}`)).status).toBe(403);
    }
    expect(
      (await stack.http().get(`/api/v1/polls/not-a-poll/report.pdf`).set('authorization', `Bearer ${coChair.token}`))
        .status,
    ).toBe(400);
    expect(
      (
        await stack
          .http()
          .get(`/api/v1/polls/00000000-0000-4000-8000-000000000000/report.pdf`)
          .set('authorization', `Bearer ${coChair.token}`)
      ).status,
    ).toBe(404);
    expect(await countRows(stack, ['audit_log'])).toEqual(before);
  });

  // What is published depends on how many responded, never on what they wrote: a poll with fewer than
  // k respondents publishes no answers at all (written ones included), in every output.
  it('withholds every answer, written ones included, in every output, when fewer than k people responded', async () => {
    const small = await createPoll(stack, community, coChair, {
      title: 'Short pulse',
      questions: [
        { kind: 'single_choice', prompt: 'Supported?', options: ['Yes', 'No'] },
        { kind: 'free_text', prompt: 'Tell us more', required: false },
      ],
    });
    const voters = await bulkMembers(stack, community, 4);
    await openPoll(stack, small.id, coChair);
    for (const [i, v] of voters.entries()) {
      const answers: object[] = [
        { questionId: small.questions[0].id, optionIds: [small.questions[0].options[i % 2].id] },
      ];
      if (i < 2) answers.push({ questionId: small.questions[1].id, text: `Only comment number ${i}` });
      expect((await vote(stack, small.id, v.token, answers)).status).toBe(201);
    }
    await closePoll(stack, small.id, coChair);
    const results = await stack
      .http()
      .get(`/api/v1/polls/${small.id}/results`)
      .set('authorization', `Bearer ${coChair.token}`);
    expect(results.body.questions[1].texts).toBeUndefined();
    expect(results.body.questions[1].withheld).toMatch(/fewer than 5 people responded/);
    expect(results.body.questions[0].counts).toEqual([]);
    const csv = (await get(`/api/v1/polls/${small.id}/results.csv`, coChair.token)).body.toString('utf8');
    expect(csv).not.toContain('Only comment');
    expect(csv).toContain('fewer than 5 people responded');
    const pdf = join(work, 'small.pdf');
    writeFileSync(pdf, (await get(`/api/v1/polls/${small.id}/report.pdf`, coChair.token).expect(200)).body as Buffer);
    const text = execFileSync('pdftotext', [pdf, '-']).toString('utf8').replace(/\s+/g, ' ');
    expect(text).not.toContain('Only comment');
    expect(text).toContain('fewer than 5 people responded');
  });
});
