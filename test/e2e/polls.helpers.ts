import { randomUUID } from 'node:crypto';
import { MAX_NOISE, openWith, SealedBallotContent, sealingKey } from '@cophub/polls';
import { testEnv } from '@cophub/testing';
import type { TestCommunity, TestStack, TestUser } from '@cophub/testing';

export interface PollQuestionView {
  id: string;
  kind: string;
  options: Array<{ id: string; label: string }>;
}

export interface CreatedPoll {
  id: string;
  questions: PollQuestionView[];
}

export async function createPoll(
  stack: TestStack,
  community: TestCommunity,
  coChair: TestUser,
  body: Record<string, unknown> = {},
): Promise<CreatedPoll> {
  const response = await stack
    .http()
    .post(`/api/v1/communities/${community.slug}/polls`)
    .set('authorization', `Bearer ${coChair.token}`)
    .send({
      title: 'Workforce pulse',
      context: 'Tell us **how** things are.',
      // A prompt of its own: anonymous polls sharing a question are compared by audience before opening,
      // and the tests' polls are separate surveys.
      questions: [
        {
          kind: 'single_choice',
          prompt: `Do you feel supported? (${randomUUID().slice(0, 8)})`,
          options: ['Yes', 'No', 'Unsure'],
        },
      ],
      ...body,
    });
  if (response.status !== 201) throw new Error(`create poll: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as CreatedPoll;
}

export async function openPoll(stack: TestStack, pollId: string, coChair: TestUser, body: object = {}) {
  const response = await stack
    .http()
    .post(`/api/v1/polls/${pollId}/open`)
    .set('authorization', `Bearer ${coChair.token}`)
    .send(body);
  if (response.status !== 200) throw new Error(`open poll: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function closePoll(stack: TestStack, pollId: string, coChair: TestUser) {
  const response = await stack
    .http()
    .post(`/api/v1/polls/${pollId}/close`)
    .set('authorization', `Bearer ${coChair.token}`);
  if (response.status !== 200) throw new Error(`close poll: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export function vote(stack: TestStack, pollId: string, token: string, answers: object[]) {
  return stack
    .http()
    .post(`/api/v1/polls/${pollId}/responses`)
    .set('authorization', `Bearer ${token}`)
    .send({ answers });
}

const PROFESSIONS = ['PWP', 'CYWP', 'EMHP', 'MHWP'];
const STAGES = ['trainee', 'qualified', 'senior'];

/**
 * Many approved members at once, by SQL (no password hashing): member i has profession i % 4 and
 * career stage i % 3. Returns ids with tokens, in order.
 */
export async function bulkMembers(stack: TestStack, community: TestCommunity, count: number): Promise<TestUser[]> {
  const tag = randomUUID().slice(0, 8);
  const rows = await stack.query<{ id: string; email: string; i: number }>(
    `INSERT INTO users (email, password_hash, display_name, profession, career_stage, region, email_verified_at)
     SELECT 'bulk-' || $1 || '-' || g || '@example.nhs.net', 'not-a-hash', 'Bulk ' || g,
            ($2::text[])[1 + g % 4], ($3::text[])[1 + g % 3], 'north_west', now()
       FROM generate_series(0, $4 - 1) g
     RETURNING id, email, split_part(split_part(email, '@', 1), '-', 3)::int AS i`,
    [tag, PROFESSIONS, STAGES, count],
  );
  rows.sort((a, b) => a.i - b.i);
  await stack.query(
    `INSERT INTO memberships (community_id, user_id, status, role) SELECT $1, unnest($2::uuid[]), 'approved', 'member'`,
    [community.id, rows.map((r) => r.id)],
  );
  const tokens = await stack.tokensFor(rows.map((r) => r.id));
  return rows.map((r, i) => ({ id: r.id, email: r.email, displayName: `Bulk ${r.i}`, token: tokens[i] }));
}

/** Runs tasks with at most `limit` in flight. */
export async function pool<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]();
      }
    }),
  );
  return results;
}

/**
 * What a test (holding the sealing key, as the application does) reads from an anonymous poll's
 * sealed ballots: the true answers, to check published counts against. Tests use the derivation from
 * JWT_SECRET (no POLL_BALLOT_KEY is set in test stacks).
 */
export async function openSealedBallots(stack: TestStack, pollId: string): Promise<SealedBallotContent[]> {
  const rows = await stack.query<{ sealed: Buffer }>(
    `SELECT sealed FROM poll_sealed_ballots WHERE poll_id = $1 ORDER BY ctid`,
    [pollId],
  );
  const key = sealingKey(testEnv('', '').JWT_SECRET, pollId);
  return rows.map((row) => openWith(key, row.sealed));
}

/** True counts per option of a choice question (first preferences for ranked), from opened ballots. */
export function trueCounts(
  ballots: SealedBallotContent[],
  question: PollQuestionView,
  filter = (_: SealedBallotContent) => true,
): number[] {
  return question.options.map(
    (o) =>
      ballots.filter(
        (b) =>
          filter(b) && b.rows.some((r) => r.questionId === question.id && r.optionId === o.id && (r.rank ?? 1) === 1),
      ).length,
  );
}

/** A published count is the true one moved by at most 2 (cell key perturbation), within 0 … base. */
export function expectPerturbed(published: Array<number | null>, truth: number[], base: number): void {
  expect(published).toHaveLength(truth.length);
  published.forEach((p, i) => {
    expect(p).not.toBeNull();
    expect(Math.abs(p! - truth[i])).toBeLessThanOrEqual(MAX_NOISE);
    expect(p! >= 0 && p! <= base).toBe(true);
  });
}
