import { Sql } from '@cophub/core';

/**
 * The seed's statements on the polls module's tables: a poll already open, its questions and options, and its
 * electorate snapshot (opening it through polls' services would email every member an invitation).
 */

export async function insertOpenPoll(
  db: Sql,
  poll: { communityId: string; createdBy: string; title: string; context: string; contextHtml: string },
): Promise<string> {
  const row = await db.one<{ id: string }>(
    `INSERT INTO polls (community_id, created_by, title, context_source, context_html, status, anonymous, results_visibility,
                        opened_at, closes_at, electorate_size)
     VALUES ($1, $2, $3, $4, $5, 'open', true, 'after_close', now(),
             now() + interval '14 days', 0) RETURNING id`,
    [poll.communityId, poll.createdBy, poll.title, poll.context, poll.contextHtml],
  );
  return row.id;
}

export async function insertQuestion(
  db: Sql,
  question: { pollId: string; communityId: string; position: number; kind: string; prompt: string; required: boolean },
): Promise<string> {
  const row = await db.one<{ id: string }>(
    `INSERT INTO poll_questions (poll_id, community_id, position, kind, prompt, required)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [question.pollId, question.communityId, question.position, question.kind, question.prompt, question.required],
  );
  return row.id;
}

export async function insertOption(
  db: Sql,
  option: { questionId: string; pollId: string; position: number; label: string },
): Promise<void> {
  await db.exec('INSERT INTO poll_options (question_id, poll_id, position, label) VALUES ($1, $2, $3, $4)', [
    option.questionId,
    option.pollId,
    option.position,
    option.label,
  ]);
}

/** Every approved member of the community, with their profile as it is now (identity's published columns). */
export async function snapshotElectorate(db: Sql, pollId: string, communityId: string): Promise<void> {
  await db.exec(
    `INSERT INTO poll_electorate (poll_id, user_id, community_id, profession, career_stage, region)
     SELECT $1, u.id, m.community_id, u.profession, u.career_stage, u.region
       FROM memberships m JOIN users u ON u.id = m.user_id
      WHERE m.community_id = $2 AND m.status = 'approved'`,
    [pollId, communityId],
  );
  await db.exec(
    'UPDATE polls SET electorate_size = (SELECT count(*) FROM poll_electorate WHERE poll_id = $1) WHERE id = $1',
    [pollId],
  );
}
