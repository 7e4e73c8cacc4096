import { Injectable } from '@nestjs/common';
import { Sql, SqlPort } from '@cophub/core';
import { EventStatus, EventVisibility } from '../domain/enums';
import { CommunityEvent } from './event.entity';

/** An event as the module reads it: the entity's columns (the search document aside). */
export type EventRow = CommunityEvent;

export interface EventSearchRow {
  id: string;
  title: string;
  startsAt: Date;
  status: string;
  rank: number;
  snippet: string;
}

export interface EventListOptions {
  from: Date;
  to?: Date;
  publicOnly?: boolean;
  includeCancelled?: boolean;
  after?: { startsAt: string; id: string } | null;
}

/**
 * Every statement on `events`. Events are addressed by their own id (the community is learnt from the row);
 * lists, calendars, feeds and search take the community.
 */
@Injectable()
export class EventsRepository {
  constructor(private readonly sql: SqlPort) {}

  /** Writes a new event and answers it as saved (with its id, defaults and timestamps). */
  insert(tx: Sql, fields: Partial<CommunityEvent>): Promise<EventRow> {
    const manager = tx.manager;
    return manager.save(manager.create(CommunityEvent, fields));
  }

  /** Saves every column of the event (a co-chair's edit, a cancellation). */
  save(tx: Sql, event: EventRow): Promise<EventRow> {
    return tx.manager.save(CommunityEvent, event);
  }

  find(eventId: string, db: Sql = this.sql): Promise<EventRow | null> {
    return db.manager.findOne(CommunityEvent, { where: { id: eventId } });
  }

  /** Whether the event exists in the community. */
  async existsInCommunity(db: Sql, eventId: string, communityId: string): Promise<boolean> {
    const rows = await db.rows('SELECT 1 FROM events WHERE id = $1 AND community_id = $2', [eventId, communityId]);
    return rows.length > 0;
  }

  /** The event as `tx` now sees it; it must exist. */
  reload(tx: Sql, eventId: string): Promise<EventRow> {
    return tx.manager.findOneByOrFail(CommunityEvent, { id: eventId });
  }

  /** The event locked for update in `tx`: its counters are read and written only while this is held. */
  lock(tx: Sql, eventId: string): Promise<EventRow | null> {
    return tx.manager
      .getRepository(CommunityEvent)
      .createQueryBuilder('e')
      .setLock('pessimistic_write')
      .where('e.id = :eventId', { eventId })
      .getOne();
  }

  /** A member took a place (`going`) or joined the waitlist; call with the event locked. */
  async countJoined(tx: Sql, eventId: string, hasPlace: boolean): Promise<void> {
    await tx.exec(
      hasPlace
        ? 'UPDATE events SET going_count = going_count + 1 WHERE id = $1'
        : 'UPDATE events SET waitlist_count = waitlist_count + 1, waitlist_next = waitlist_next + 1 WHERE id = $1',
      [eventId],
    );
  }

  /** A member gave back their place; call with the event locked. */
  async countPlaceGivenBack(tx: Sql, eventId: string): Promise<void> {
    await tx.exec('UPDATE events SET going_count = going_count - 1 WHERE id = $1', [eventId]);
  }

  /** A member left the waitlist; call with the event locked. */
  async countLeftWaitlist(tx: Sql, eventId: string): Promise<void> {
    await tx.exec('UPDATE events SET waitlist_count = waitlist_count - 1 WHERE id = $1', [eventId]);
  }

  /** `moved` members went from the waitlist to a place; call with the event locked. */
  async countPromoted(tx: Sql, eventId: string, moved: number): Promise<void> {
    await tx.exec(
      `UPDATE events SET going_count = going_count + $2, waitlist_count = waitlist_count - $2 WHERE id = $1`,
      [eventId, moved],
    );
  }

  /** The community's events ending after `from`, in start order after the keyset; `limit` rows at most. */
  list(communityId: string, options: EventListOptions, limit: number): Promise<EventRow[]> {
    const query = this.sql.manager
      .getRepository(CommunityEvent)
      .createQueryBuilder('e')
      .where('e.community_id = :communityId', { communityId })
      .orderBy('e.starts_at', 'ASC')
      .addOrderBy('e.id', 'ASC')
      .limit(limit);
    // Events still running count as upcoming.
    query.andWhere('e.ends_at > :from', { from: options.from });
    if (options.to) query.andWhere('e.starts_at < :to', { to: options.to });
    if (options.publicOnly) query.andWhere('e.visibility = :public', { public: EventVisibility.Public });
    if (!options.includeCancelled) query.andWhere('e.status = :scheduled', { scheduled: EventStatus.Scheduled });
    if (options.after) {
      const { startsAt, id } = options.after;
      query.andWhere('(e.starts_at, e.id) > (:startsAt, :id)', { startsAt, id });
    }
    return query.getMany();
  }

  /** The community's events starting in [start, end), cancelled ones included, at most 2000. */
  startingBetween(communityId: string, start: Date, end: Date, publicOnly: boolean): Promise<EventRow[]> {
    const query = this.sql.manager
      .getRepository(CommunityEvent)
      .createQueryBuilder('e')
      .where('e.community_id = :communityId', { communityId })
      .andWhere('e.starts_at >= :start AND e.starts_at < :end', { start, end })
      .orderBy('e.starts_at', 'ASC')
      .addOrderBy('e.id', 'ASC')
      .limit(2000);
    if (publicOnly) query.andWhere('e.visibility = :public', { public: EventVisibility.Public });
    return query.getMany();
  }

  /** The community's public events ending after `since`, for its public feed. */
  publicSince(communityId: string, since: Date): Promise<EventRow[]> {
    return this.sql.manager
      .getRepository(CommunityEvent)
      .createQueryBuilder('e')
      .where('e.community_id = :communityId AND e.visibility = :public', {
        communityId,
        public: EventVisibility.Public,
      })
      .andWhere('e.ends_at > :since', { since })
      .orderBy('e.starts_at')
      .limit(1000)
      .getMany();
  }

  /**
   * The events a member is going to or waitlisted for, in the communities they still belong to, ending after
   * `since`; each with whether they are going.
   */
  async attendingSince(userId: string, since: Date): Promise<Array<{ event: EventRow; going: boolean }>> {
    const events = await this.sql.manager
      .getRepository(CommunityEvent)
      .createQueryBuilder('e')
      .innerJoin(
        'event_rsvps',
        'r',
        "r.event_id = e.id AND r.user_id = :userId AND r.status IN ('going', 'waitlisted')",
        {
          userId,
        },
      )
      .innerJoin(
        'memberships',
        'm',
        "m.community_id = e.community_id AND m.user_id = :userId AND m.status = 'approved'",
      )
      .addSelect('r.status', 'rsvp_status')
      .andWhere('e.ends_at > :since', { since })
      .orderBy('e.starts_at')
      .limit(1000)
      .getRawAndEntities();
    return events.entities.map((event, i) => ({ event, going: events.raw[i]?.rsvp_status === 'going' }));
  }

  /** The community an event belongs to, or null when there is no such event. */
  async communityOf(eventId: string): Promise<string | null> {
    const row = await this.sql.maybeOne<{ communityId: string }>(
      'SELECT community_id AS "communityId" FROM events WHERE id = $1',
      [eventId],
    );
    return row?.communityId ?? null;
  }

  /** The name and slug of an event's community (identity's published columns), for the cancellation notice. */
  community(tx: Sql, communityId: string): Promise<{ name: string; slug: string }> {
    return tx.one<{ name: string; slug: string }>('SELECT name, slug FROM communities WHERE id = $1', [communityId]);
  }

  /** Events a person created, for their personal data export. */
  organisedBy(userId: string): Promise<Record<string, unknown>[]> {
    return this.sql.rows(
      'SELECT id, title, starts_at AS "startsAt", created_at AS "createdAt" FROM events WHERE created_by = $1 ORDER BY starts_at',
      [userId],
    );
  }

  /** Full-text search over a community's events, ranked; keyset after (rank, kind, id). */
  search(options: {
    q: string;
    communityId: string;
    limit: number;
    from?: Date | string;
    to?: Date | string;
    profession?: string;
    after?: { rank: number; kind: string; id: string } | null;
    headlineOptions: string;
  }): Promise<EventSearchRow[]> {
    const params: unknown[] = [options.q, options.communityId, options.limit];
    const where: string[] = ['e.community_id = $2', 'e.search @@ q.query'];
    if (options.from) {
      params.push(options.from);
      where.push(`e.starts_at >= $${params.length}`);
    }
    if (options.to) {
      params.push(options.to);
      where.push(`e.starts_at < $${params.length}`);
    }
    if (options.profession) {
      params.push(options.profession);
      where.push(`(cardinality(e.audience_professions) = 0 OR $${params.length} = ANY(e.audience_professions))`);
    }
    let keyset = '';
    if (options.after) {
      params.push(options.after.rank, options.after.kind, options.after.id);
      const [r, k, i] = [params.length - 2, params.length - 1, params.length];
      keyset = `WHERE rank < $${r} OR (rank = $${r} AND ('event' > $${k} OR ('event' = $${k} AND id::text > $${i})))`;
    }
    return this.sql.rows<EventSearchRow>(
      `WITH q AS (SELECT websearch_to_tsquery('english', $1) AS query),
         hits AS (
           SELECT e.id, e.title, e.starts_at, e.status, e.description,
                  ts_rank(e.search, q.query)::float8 AS rank, q.query
             FROM events e, q
            WHERE ${where.join(' AND ')}
         )
         SELECT id, title, starts_at AS "startsAt", status, rank,
                ts_headline('english', title || '. ' || description, query, ${options.headlineOptions}) AS snippet
           FROM hits ${keyset}
          ORDER BY rank DESC, id::text
          LIMIT $3`,
      params,
    );
  }
}
