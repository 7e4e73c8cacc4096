import { Injectable } from '@nestjs/common';
import { Columns, Queryable, Sql, SqlPort } from '@cophub/core';

/** Someone the forum notifies: an approved member of the community. */
export type RecipientRow = Columns<'users', 'id' | 'email' | 'display_name'>;

const MEMBER = `JOIN memberships m ON m.user_id = u.id AND m.community_id = $1 AND m.status = 'approved'`;

/** Who hears about forum activity: the statements that pick recipients among a community's approved members. */
@Injectable()
export class AudienceRepository {
  constructor(private readonly sql: SqlPort) {}

  /** Members the post mentions (resolved by handle when it was written, so a later handle change still reaches them). */
  mentioned(db: Queryable, communityId: string, postId: string): Promise<RecipientRow[]> {
    return Sql.over(db).rows<RecipientRow>(
      `SELECT u.id, u.email, u.display_name FROM forum_post_mentions pm JOIN users u ON u.id = pm.user_id ${MEMBER}
          WHERE pm.post_id = $2`,
      [communityId, postId],
    );
  }

  /** The author of the quoted post. */
  quoted(db: Queryable, communityId: string, quotedPostId: string): Promise<RecipientRow[]> {
    return Sql.over(db).rows<RecipientRow>(
      `SELECT u.id, u.email, u.display_name FROM forum_posts p JOIN users u ON u.id = p.author_id ${MEMBER}
            WHERE p.id = $2`,
      [communityId, quotedPostId],
    );
  }

  /** Members watching the thread. */
  watching(db: Queryable, communityId: string, threadId: string): Promise<RecipientRow[]> {
    return Sql.over(db).rows<RecipientRow>(
      `SELECT u.id, u.email, u.display_name FROM forum_subscriptions s JOIN users u ON u.id = s.user_id ${MEMBER}
          WHERE s.thread_id = $2 AND s.level = 'watching'`,
      [communityId, threadId],
    );
  }

  /** Of `userIds`, the approved members of the community but the author. */
  membersAmong(db: Queryable, communityId: string, authorId: string, userIds: string[]): Promise<RecipientRow[]> {
    return Sql.over(db).rows<RecipientRow>(
      `SELECT u.id, u.email, u.display_name FROM users u
         JOIN memberships m ON m.user_id = u.id AND m.community_id = $1 AND m.status = 'approved'
        WHERE u.id = ANY($2::uuid[]) AND u.id <> $3`,
      [communityId, userIds, authorId],
    );
  }

  async displayName(db: Queryable, userId: string): Promise<string | null> {
    const row = await Sql.over(db).maybeOne<{ display_name: string }>('SELECT display_name FROM users WHERE id = $1', [
      userId,
    ]);
    return row?.display_name ?? null;
  }

  /** The community's moderators and co-chairs, but the reporter. */
  moderators(db: Queryable, communityId: string, reporterId: string): Promise<RecipientRow[]> {
    return Sql.over(db).rows<RecipientRow>(
      `SELECT u.id, u.email, u.display_name FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.community_id = $1 AND m.status = 'approved' AND m.role IN ('moderator', 'co_chair') AND u.id <> $2`,
      [communityId, reporterId],
    );
  }

  /** An announcement's audience: open accounts of approved members but the sender, filtered by profile. */
  announcement(
    db: Queryable,
    communityId: string,
    senderId: string,
    audience: { professions: string[]; careerStages: string[]; regions: string[] },
  ): Promise<RecipientRow[]> {
    return Sql.over(db).rows<RecipientRow>(
      `SELECT u.id, u.email, u.display_name
           FROM memberships m JOIN users u ON u.id = m.user_id
          WHERE m.community_id = $1 AND m.status = 'approved' AND u.closed_at IS NULL AND u.id <> $2
            AND (cardinality($3::text[]) = 0 OR u.profession = ANY($3::text[]))
            AND (cardinality($4::text[]) = 0 OR u.career_stage = ANY($4::text[]))
            AND (cardinality($5::text[]) = 0 OR u.region = ANY($5::text[]))
          ORDER BY u.id`,
      [communityId, senderId, audience.professions, audience.careerStages, audience.regions],
    );
  }
}
