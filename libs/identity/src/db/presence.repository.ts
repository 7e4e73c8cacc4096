import { Injectable } from '@nestjs/common';
import { Columns, Row, SqlPort } from '@cophub/core';

/** A co-chair listed as a key contact, as the statement answers it. */
export type KeyContactRow = Columns<'memberships', 'user_id' | 'role'> &
  Columns<'users', 'display_name' | 'profession' | 'organisation'>;

/** The statements behind a community's overview that identity answers: key contacts and members' visits. */
@Injectable()
export class PresenceRepository {
  constructor(private readonly sql: SqlPort) {}

  /** Co-chairs who agreed to be listed, by name. */
  keyContacts(communityId: string): Promise<KeyContactRow[]> {
    return this.sql.rows<KeyContactRow>(
      `SELECT m.user_id, u.display_name, m.role, u.profession, u.organisation
           FROM memberships m JOIN users u ON u.id = m.user_id
          WHERE m.community_id = $1 AND m.status = 'approved' AND m.role = 'co_chair' AND m.listed_as_contact
          ORDER BY u.display_name, m.user_id`,
      [communityId],
    );
  }

  async setListedAsContact(communityId: string, userId: string, listed: boolean): Promise<void> {
    await this.sql.exec(`UPDATE memberships SET listed_as_contact = $3 WHERE community_id = $1 AND user_id = $2`, [
      communityId,
      userId,
      listed,
    ]);
  }

  /**
   * Starts a new visit when the last one began more than `visitMs` before `now`, in one conditional update (two
   * tabs opening at once agree); answers the start of the previous visit.
   */
  async startVisit(
    communityId: string,
    userId: string,
    now: Date,
    visitMs: number,
  ): Promise<Row<'memberships'>['previous_visit_at']> {
    const rows = await this.sql.rows<Columns<'memberships', 'previous_visit_at'>>(
      `UPDATE memberships
          SET previous_visit_at = CASE WHEN last_visited_at IS NULL OR last_visited_at < $3::timestamptz - ($4 || ' milliseconds')::interval
                                       THEN last_visited_at ELSE previous_visit_at END,
              last_visited_at = CASE WHEN last_visited_at IS NULL OR last_visited_at < $3::timestamptz - ($4 || ' milliseconds')::interval
                                     THEN $3 ELSE last_visited_at END
        WHERE community_id = $1 AND user_id = $2
        RETURNING previous_visit_at`,
      [communityId, userId, now, String(visitMs)],
    );
    return rows[0]?.previous_visit_at ?? null;
  }
}
