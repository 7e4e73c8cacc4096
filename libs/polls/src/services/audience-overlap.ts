import { EntityManager } from 'typeorm';
import { AUDIENCE_SQL } from '../policies/poll.policy';

export interface AudienceOverlap {
  pollId: string;
  title: string;
  /** Members in one audience and not the other (symmetric difference). */
  difference: number;
}

export interface AudienceOverlapQuery {
  communityId: string;
  /** The poll being opened or previewed (excluded from the comparison), if it exists yet. */
  pollId: string | null;
  /** The poll it was started from, if any. */
  templateOf: string | null;
  /** Its question prompts (compared case- and space-insensitively). */
  prompts: string[];
  professions: string[];
  careerStages: string[];
  regions: string[];
}

/**
 * Two anonymous polls that ask the same question of audiences differing by a few members let their
 * results be subtracted: the difference is those members' answers. Before an anonymous poll opens
 * (and in the builder's preview) its audience, as the snapshot would take it now, is compared with
 * the electorate of every open or closed anonymous poll of the community that shares a question
 * (same text) or a template lineage ("start from this poll"). Returns those whose audiences differ by
 * 1 … k−1 members: such a poll is refused (409) until the audience is changed.
 */
export async function audienceOverlaps(
  manager: EntityManager,
  query: AudienceOverlapQuery,
  threshold: number,
): Promise<AudienceOverlap[]> {
  const prompts = [...new Set(query.prompts.map(normalisePrompt))];
  const rows: Array<{ id: string; title: string; difference: number }> = await manager.query(
    `WITH mine AS (
       SELECT u.id FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.community_id = $1 AND m.status = 'approved' AND ${AUDIENCE_SQL('u', '$5', '$6', '$7')}),
     others AS (
       SELECT p.id, p.title FROM polls p
        WHERE p.community_id = $1 AND p.anonymous AND p.status IN ('open', 'closed')
          AND p.id IS DISTINCT FROM $2::uuid
          AND (p.id = $3::uuid OR p.template_of = $2::uuid
               OR (p.template_of IS NOT NULL AND p.template_of = $3::uuid)
               OR EXISTS (SELECT 1 FROM poll_questions q
                           WHERE q.poll_id = p.id AND lower(regexp_replace(btrim(q.prompt), '\\s+', ' ', 'g')) = ANY($4::text[]))))
     SELECT o.id, o.title,
            ((SELECT count(*) FROM (SELECT e.user_id FROM poll_electorate e WHERE e.poll_id = o.id
                                    EXCEPT SELECT id FROM mine) a)
           + (SELECT count(*) FROM (SELECT id FROM mine
                                    EXCEPT SELECT e.user_id FROM poll_electorate e WHERE e.poll_id = o.id) b))::int AS difference
       FROM others o`,
    [query.communityId, query.pollId, query.templateOf, prompts, query.professions, query.careerStages, query.regions],
  );
  return rows
    .filter((row) => audienceDifferenceRefused(row.difference, threshold))
    .map((row) => ({ pollId: row.id, title: row.title, difference: row.difference }));
}

/** Audiences differing by 1 … k−1 members cannot both be polled anonymously on the same questions. */
export function audienceDifferenceRefused(difference: number, threshold: number): boolean {
  return difference >= 1 && difference < threshold;
}

export function normalisePrompt(prompt: string): string {
  return prompt.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** The sentence a co-chair reads when an anonymous poll cannot open because of another poll's audience. */
export function overlapMessage(overlap: AudienceOverlap, threshold: number): string {
  const members = overlap.difference === 1 ? '1 member' : `${overlap.difference} members`;
  return (
    `This anonymous poll cannot open: it shares questions with "${overlap.title}", whose audience differs from this one by only ${members}. ` +
    `Comparing the two polls' results could show how ${overlap.difference === 1 ? 'that member' : 'those members'} answered. ` +
    `Change the audience so the two differ by at least ${threshold} members (or not at all), or change the questions.`
  );
}
