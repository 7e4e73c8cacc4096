import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@cophub/audit';
import { APP_CONFIG, AppConfig, Clock, JobName, queryRows, QueueService, ukDateTime } from '@cophub/core';
import { PollJob } from '../jobs/polls.jobs';
import { NotificationKind, NotificationService, NotifyResult } from '@cophub/notifications';
import { RealtimePublisher } from '@cophub/realtime';
import { DataSource, EntityManager } from 'typeorm';
import { PollStatus } from '../entities/enums';
import { Poll } from '../entities/poll.entity';
import { PollError, PollErrorCode } from '../errors/polls.error';
import { AUDIENCE_SQL } from '../policies/poll.policy';
import { audienceOverlaps, overlapMessage } from './audience-overlap';
import { PollsService } from './polls.service';
import { ResultsService } from './results.service';
import { SealedBallots } from './sealed-ballots.service';

export interface ScheduleInput {
  opensAt?: string | null;
  closesAt?: string | null;
  remindAt?: string | null;
}

type Trigger = { actorId: string | null; version?: number };

/** A co-chair's "Remind now" may be used once in this long (a scheduled reminder counts too). */
export const REMIND_NOW_COOLDOWN_MS = 6 * 3_600_000;

/** When the next "Remind now" is allowed, or null when it is allowed already. */
export function nextReminderAllowedAt(poll: Poll, now: Date): Date | null {
  const last = Math.max(poll.remindedAt?.getTime() ?? 0, poll.remindedNowAt?.getTime() ?? 0);
  const next = last + REMIND_NOW_COOLDOWN_MS;
  return last > 0 && next > now.getTime() ? new Date(next) : null;
}

/** BullMQ ids may not contain ':'; the version makes a re-planned schedule a different job. */
export const pollJobId = (kind: 'open' | 'close' | 'remind', pollId: string, version: number) =>
  `poll-${kind}-${pollId}-${version}`;

/**
 * Opening, closing, reminding and scheduling. Every transition is one conditional UPDATE, so a job,
 * the reconciler and a co-chair's click racing each other cannot open or close a poll twice; the work
 * a transition causes (electorate snapshot, invitations, audit row) commits with it.
 */
@Injectable()
export class PollLifecycleService {
  private readonly logger = new Logger('PollLifecycle');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly queues: QueueService,
    private readonly notifications: NotificationService,
    private readonly audit: AuditService,
    private readonly realtime: RealtimePublisher,
    private readonly sealed: SealedBallots,
    private readonly polls: PollsService,
    private readonly results: ResultsService,
  ) {}

  /** Sets opening (drafts and scheduled polls), closing and reminder times, and plans the jobs. */
  async schedule(poll: Poll, actorId: string, input: ScheduleInput): Promise<Poll> {
    const now = this.clock.now();
    const next = {
      opensAt: input.opensAt !== undefined ? (input.opensAt ? new Date(input.opensAt) : null) : poll.opensAt,
      closesAt: input.closesAt !== undefined ? (input.closesAt ? new Date(input.closesAt) : null) : poll.closesAt,
      remindAt: input.remindAt !== undefined ? (input.remindAt ? new Date(input.remindAt) : null) : poll.remindAt,
    };
    const invalid = (message: string) => new PollError(PollErrorCode.InvalidPoll, message);
    if (poll.status === PollStatus.Closed) throw new PollError(PollErrorCode.InvalidTransition, 'This poll is closed');
    if (poll.status === PollStatus.Open && input.opensAt !== undefined) {
      throw new PollError(PollErrorCode.InvalidTransition, 'This poll is already open');
    }
    if (poll.status !== PollStatus.Open) {
      if (!next.opensAt) throw invalid('opensAt is needed to schedule a poll');
      if (next.opensAt <= now) throw invalid('opensAt must be in the future (use open to open now)');
    }
    if (next.closesAt && next.closesAt <= (next.opensAt && poll.status !== PollStatus.Open ? next.opensAt : now)) {
      throw invalid('closesAt must be after the poll opens');
    }
    if (next.remindAt && next.closesAt && next.remindAt >= next.closesAt)
      throw invalid('remindAt must be before closesAt');
    if (input.remindAt && next.remindAt && next.remindAt <= now) throw invalid('remindAt must be in the future');
    if (next.remindAt && next.opensAt && poll.status !== PollStatus.Open && next.remindAt <= next.opensAt) {
      throw invalid('remindAt must be after the poll opens');
    }
    const status = poll.status === PollStatus.Open ? PollStatus.Open : PollStatus.Scheduled;
    const rows: Poll[] = await this.dataSource.transaction(async (manager) => {
      const updated = await queryRows(
        manager,
        // A new reminder time plans a new reminder, even after an earlier one was sent: co-chairs remind
        // at the times they choose, one after another.
        `UPDATE polls SET status = $2, opens_at = $3, closes_at = $4, remind_at = $5,
                reminded_at = CASE WHEN remind_at IS DISTINCT FROM $5 THEN NULL ELSE reminded_at END,
                version = version + 1, updated_at = now()
          WHERE id = $1 AND status = $6 RETURNING id`,
        [poll.id, status, next.opensAt, next.closesAt, next.remindAt, poll.status],
      );
      if (!updated.length)
        throw new PollError(PollErrorCode.InvalidTransition, 'The poll changed; reload and try again');
      await this.audit.record(manager, {
        communityId: poll.communityId,
        actorId,
        action: 'poll.scheduled',
        targetType: 'poll',
        targetId: poll.id,
        data: { opensAt: next.opensAt, closesAt: next.closesAt, remindAt: next.remindAt },
      });
      return manager.find(Poll, { where: { id: poll.id } });
    });
    await this.plan(rows[0]);
    return rows[0];
  }

  /** Opens now (a co-chair's click) or when due (a job or the reconciler, which pass `version`). */
  async open(pollId: string, trigger: Trigger, times: ScheduleInput = {}): Promise<Poll | null> {
    try {
      return await this.openNow(pollId, trigger, times);
    } catch (error) {
      // A planned opening refused because of another poll's audience stays scheduled (and logged); the
      // co-chair sees why on the poll's page when opening by hand.
      if (trigger.actorId === null && error instanceof PollError && error.code === PollErrorCode.AudienceOverlap) {
        this.logger.warn(`poll ${pollId} was not opened: ${error.message}`);
        return null;
      }
      throw error;
    }
  }

  private async openNow(pollId: string, trigger: Trigger, times: ScheduleInput): Promise<Poll | null> {
    const now = this.clock.now();
    let notified: NotifyResult | null = null;
    const poll = await this.dataSource.transaction(async (manager) => {
      const byJob = trigger.actorId === null;
      const params: unknown[] = [pollId, now];
      let condition = `status IN ('draft', 'scheduled')`;
      if (byJob) {
        condition = `status = 'scheduled' AND opens_at <= $2`;
        if (trigger.version !== undefined) {
          params.push(trigger.version);
          condition += ` AND version = $${params.length}`;
        }
      }
      const result = await queryRows(
        manager,
        `UPDATE polls SET status = 'open', opened_at = $2, opens_at = $2, version = version + 1, updated_at = now()
          WHERE id = $1 AND ${condition} RETURNING *`,
        params,
      );
      let row = result[0];
      if (!row) return null;
      if (times.closesAt !== undefined || times.remindAt !== undefined) {
        const changed = await queryRows(
          manager,
          `UPDATE polls SET closes_at = CASE WHEN $2 THEN $3::timestamptz ELSE closes_at END,
                  remind_at = CASE WHEN $4 THEN $5::timestamptz ELSE remind_at END
            WHERE id = $1 RETURNING *`,
          [
            pollId,
            times.closesAt !== undefined,
            times.closesAt ?? null,
            times.remindAt !== undefined,
            times.remindAt ?? null,
          ],
        );
        row = changed[0];
      }
      const poll = manager.create(Poll, this.fromRow(row));
      if (poll.closesAt && poll.closesAt <= now) {
        if (byJob) {
          // Opened after its closing time (e.g. the worker was down throughout): nobody could vote.
          this.logger.warn(`poll ${poll.id} reached its opening after its closing time`);
        } else {
          throw new PollError(PollErrorCode.InvalidPoll, 'closesAt must be in the future');
        }
      }
      if (poll.remindAt && poll.closesAt && poll.remindAt >= poll.closesAt) {
        throw new PollError(PollErrorCode.InvalidPoll, 'remindAt must be before closesAt');
      }
      if (poll.anonymous) {
        const [{ k }] = await manager.query(`SELECT breakdown_threshold AS k FROM communities WHERE id = $1`, [
          poll.communityId,
        ]);
        const prompts: Array<{ prompt: string }> = await manager.query(
          `SELECT prompt FROM poll_questions WHERE poll_id = $1`,
          [poll.id],
        );
        const overlaps = await audienceOverlaps(
          manager,
          {
            communityId: poll.communityId,
            pollId: poll.id,
            templateOf: poll.templateOf,
            prompts: prompts.map((p) => p.prompt),
            professions: poll.audienceProfessions,
            careerStages: poll.audienceCareerStages,
            regions: poll.audienceRegions,
          },
          k,
        );
        if (overlaps.length) throw new PollError(PollErrorCode.AudienceOverlap, overlapMessage(overlaps[0], k));
      }
      // The electorate: approved members matching the audience, with their profile as it is now.
      const inserted: Array<{ n: number }> = await manager.query(
        `WITH snapshot AS (
           INSERT INTO poll_electorate (poll_id, user_id, community_id, profession, career_stage, region)
           SELECT $1, u.id, m.community_id, u.profession, u.career_stage, u.region
             FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.community_id = $2 AND m.status = 'approved' AND ${AUDIENCE_SQL('u', '$3', '$4', '$5')}
           ON CONFLICT DO NOTHING RETURNING 1)
         SELECT count(*)::int AS n FROM snapshot`,
        [poll.id, poll.communityId, poll.audienceProfessions, poll.audienceCareerStages, poll.audienceRegions],
      );
      const size = inserted[0].n;
      await manager.query(`UPDATE polls SET electorate_size = $2 WHERE id = $1`, [poll.id, size]);
      poll.electorateSize = size;
      notified = await this.invite(manager, poll, 'invitation', false);
      await this.audit.record(manager, {
        communityId: poll.communityId,
        actorId: trigger.actorId,
        action: 'poll.opened',
        targetType: 'poll',
        targetId: poll.id,
        data: { electorate: size, by: byJob ? 'schedule' : 'co-chair' },
      });
      return poll;
    });
    if (!poll) {
      if (trigger.actorId !== null)
        throw new PollError(PollErrorCode.InvalidTransition, 'Only a draft or scheduled poll can be opened');
      return null;
    }
    if (notified) await this.notifications.dispatch(notified);
    await this.plan(poll);
    this.realtime.publish('community', poll.communityId, 'poll.opened', { pollId: poll.id });
    this.realtime.publish('poll', poll.id, 'poll.opened', { pollId: poll.id });
    return poll;
  }

  /** Closes now (co-chair) or when due (job/reconciler). */
  async close(pollId: string, trigger: Trigger): Promise<Poll | null> {
    const now = this.clock.now();
    const poll = await this.dataSource.transaction(async (manager) => {
      const params: unknown[] = [pollId, now];
      let condition = `status = 'open'`;
      if (trigger.actorId === null) {
        condition += ` AND closes_at <= $2`;
        if (trigger.version !== undefined) {
          params.push(trigger.version);
          condition += ` AND version = $3`;
        }
      }
      // Taking the row lock waits for submissions in flight (they hold a share lock on the poll).
      const result = await queryRows(
        manager,
        `UPDATE polls SET status = 'closed', closed_at = $2, closes_at = LEAST(COALESCE(closes_at, $2), $2),
                version = version + 1, updated_at = now()
          WHERE id = $1 AND ${condition} RETURNING *`,
        params,
      );
      const row = result[0];
      if (!row) return null;
      const poll = manager.create(Poll, this.fromRow(row));
      if (poll.anonymous) {
        // Every sealed ballot is opened, re-sealed with fresh ids and nonces in random order, and the
        // one publication is computed from them in memory and stored: the only results there will be.
        const opened = await this.sealed.resealAll(manager, poll.id, await this.polls.questions(poll.id));
        await this.shuffleParticipation(manager, poll.id);
        await this.results.freezeAnonymous(manager, poll, opened);
      }
      await this.audit.record(manager, {
        communityId: poll.communityId,
        actorId: trigger.actorId,
        action: 'poll.closed',
        targetType: 'poll',
        targetId: poll.id,
        data: { by: trigger.actorId ? 'co-chair' : 'schedule' },
      });
      return poll;
    });
    if (!poll) {
      if (trigger.actorId !== null)
        throw new PollError(PollErrorCode.InvalidTransition, 'Only an open poll can be closed');
      return null;
    }
    this.realtime.publish('poll', poll.id, 'poll.closed', { pollId: poll.id });
    this.realtime.publish('community', poll.communityId, 'poll.closed', { pollId: poll.id });
    return poll;
  }

  /** Sends the planned reminder to members who have not responded, if due and not sent. */
  async remind(pollId: string, version?: number): Promise<number> {
    const now = this.clock.now();
    let notified: NotifyResult | null = null;
    const count = await this.dataSource.transaction(async (manager) => {
      const result = await queryRows(
        manager,
        `UPDATE polls SET reminded_at = $2 WHERE id = $1 AND status = 'open' AND remind_at <= $2 AND reminded_at IS NULL
           ${version !== undefined ? 'AND version = $3' : ''} RETURNING *`,
        version !== undefined ? [pollId, now, version] : [pollId, now],
      );
      const row = result[0];
      if (!row) return 0;
      const poll = manager.create(Poll, this.fromRow(row));
      // Each planned time is its own round (the time is in the dedupe key), so a later planned reminder
      // reaches members already reminded once.
      notified = await this.invite(manager, poll, 'reminder', true, `at-${poll.remindAt!.getTime()}`);
      return notified.created.length;
    });
    if (notified) await this.notifications.dispatch(notified);
    return count;
  }

  /**
   * "Remind now": one reminder round to the members who have not answered, through the same
   * notifications and outbox as the scheduled reminder (their channel choice and unsubscribe links
   * apply). The round is claimed by one conditional UPDATE, so a double click, a retry or two
   * co-chairs at once send it once; another round waits for the cooldown (429 with Retry-After).
   * Nothing tells the co-chair how many were reminded: the poll page shows the turnout, and the
   * reminder adds nothing to it.
   */
  async remindNow(pollId: string, actorId: string): Promise<{ sentAt: Date; nextAllowedAt: Date }> {
    const now = this.clock.now();
    const since = new Date(now.getTime() - REMIND_NOW_COOLDOWN_MS);
    let notified: NotifyResult | null = null;
    const poll = await this.dataSource.transaction(async (manager) => {
      const result = await queryRows(
        manager,
        `UPDATE polls SET reminded_now_at = $2
          WHERE id = $1 AND status = 'open'
            AND (reminded_now_at IS NULL OR reminded_now_at <= $3) AND (reminded_at IS NULL OR reminded_at <= $3)
          RETURNING *`,
        [pollId, now, since],
      );
      if (!result[0]) return null;
      const poll = manager.create(Poll, this.fromRow(result[0]));
      notified = await this.invite(manager, poll, 'reminder', true, `now-${now.getTime()}`);
      await this.audit.record(manager, {
        communityId: poll.communityId,
        actorId,
        action: 'poll.reminded',
        targetType: 'poll',
        targetId: poll.id,
        data: { by: 'co-chair' },
      });
      return poll;
    });
    if (!poll) {
      const current = await this.dataSource.getRepository(Poll).findOneBy({ id: pollId });
      if (!current || current.status !== PollStatus.Open) {
        throw new PollError(PollErrorCode.InvalidTransition, 'Reminders can only be sent while the poll is open');
      }
      const next = nextReminderAllowedAt(current, now) ?? new Date(now.getTime() + 1_000);
      const last = new Date(next.getTime() - REMIND_NOW_COOLDOWN_MS);
      const error = new PollError(
        PollErrorCode.ReminderTooSoon,
        `A reminder was sent to members who have not answered at ${ukDateTime(last)}. ` +
          `You can send another from ${ukDateTime(next)}.`,
      );
      error.retryAfterSeconds = Math.max(1, Math.ceil((next.getTime() - now.getTime()) / 1000));
      throw error;
    }
    if (notified) await this.notifications.dispatch(notified);
    return { sentAt: now, nextAllowedAt: new Date(now.getTime() + REMIND_NOW_COOLDOWN_MS) };
  }

  /**
   * Participation rows are flipped in the same transaction as the ballot insert, so for a while a
   * ballot and its member's electorate row share a transaction id (`xmin`) and their physical order
   * matches. Rewriting the responded rows in one transaction, in random order, gives them all one
   * new `xmin` and a shuffled physical order, so neither can be matched to a ballot afterwards.
   */
  async shuffleParticipation(manager: EntityManager, pollId: string): Promise<void> {
    await manager.query(
      `WITH moved AS (DELETE FROM poll_electorate WHERE poll_id = $1 AND responded RETURNING *)
       INSERT INTO poll_electorate (poll_id, user_id, community_id, profession, career_stage, region, responded, responded_at)
       SELECT poll_id, user_id, community_id, profession, career_stage, region, responded, responded_at
         FROM moved ORDER BY random()`,
      [pollId],
    );
  }

  private async invite(
    manager: EntityManager,
    poll: Poll,
    kind: 'invitation' | 'reminder',
    onlyPending: boolean,
    round?: string,
  ) {
    const community: Array<{ name: string; slug: string; threshold: number }> = await manager.query(
      `SELECT name, slug, breakdown_threshold AS threshold FROM communities WHERE id = $1`,
      [poll.communityId],
    );
    const people: Array<{ id: string; email: string; display_name: string }> = await manager.query(
      `SELECT u.id, u.email, u.display_name FROM poll_electorate e JOIN users u ON u.id = e.user_id
        WHERE e.poll_id = $1 ${onlyPending ? 'AND NOT e.responded' : ''}`,
      [poll.id],
    );
    const url = `${this.config.publicUrl}/c/${community[0].slug}/polls/${poll.id}`;
    const closesAt = poll.closesAt ? poll.closesAt.toISOString() : null;
    return this.notifications.notify(
      manager,
      people.map((person) => ({
        userId: person.id,
        kind: kind === 'invitation' ? NotificationKind.PollInvitation : NotificationKind.PollReminder,
        communityId: poll.communityId,
        title: kind === 'invitation' ? `New poll: ${poll.title}` : `Reminder: ${poll.title}`,
        url: `/c/${community[0].slug}/polls/${poll.id}`,
        data: { pollId: poll.id },
        email:
          kind === 'invitation'
            ? {
                to: person.email,
                template: 'poll.invitation' as const,
                params: {
                  displayName: person.display_name,
                  communityName: community[0].name,
                  pollTitle: poll.title,
                  url,
                  closesAt,
                  anonymous: poll.anonymous,
                  threshold: community[0].threshold,
                },
                dedupeKey: `poll-invitation-${poll.id}-${person.id}`,
              }
            : {
                to: person.email,
                template: 'poll.reminder' as const,
                params: {
                  displayName: person.display_name,
                  communityName: community[0].name,
                  pollTitle: poll.title,
                  url,
                  closesAt,
                },
                dedupeKey: `poll-reminder-${poll.id}-${round ? `${round}-` : ''}${person.id}`,
              },
      })),
    );
  }

  /** Enqueues the poll's next timed steps with deterministic ids; stale ones become no-ops. */
  async plan(poll: Poll): Promise<void> {
    const now = this.clock.now().getTime();
    const jobs: Array<[JobName, 'open' | 'close' | 'remind', Date]> = [];
    if (poll.status === PollStatus.Scheduled && poll.opensAt) jobs.push([PollJob.Open, 'open', poll.opensAt]);
    if ((poll.status === PollStatus.Scheduled || poll.status === PollStatus.Open) && poll.closesAt) {
      jobs.push([PollJob.Close, 'close', poll.closesAt]);
    }
    if (
      (poll.status === PollStatus.Scheduled || poll.status === PollStatus.Open) &&
      poll.remindAt &&
      !poll.remindedAt
    ) {
      jobs.push([PollJob.Remind, 'remind', poll.remindAt]);
    }
    try {
      for (const [name, kind, at] of jobs) {
        await this.queues.add(
          name,
          { pollId: poll.id, version: poll.version },
          { jobId: pollJobId(kind, poll.id, poll.version), delayMs: at.getTime() - now },
        );
      }
    } catch (error) {
      // Redis down: the reconciler re-plans from PostgreSQL.
      this.logger.warn(`could not plan poll ${poll.id}: ${(error as Error).message}`);
    }
  }

  /**
   * The reconciler's pass: does whatever is overdue (open, close, remind) straight from PostgreSQL,
   * and re-plans the future steps of every scheduled or open poll.
   */
  async reconcile(): Promise<{ opened: number; closed: number; reminded: number }> {
    const now = this.clock.now();
    const due: Array<{ id: string; what: string }> = await this.dataSource.query(
      `SELECT id, 'open' AS what FROM polls WHERE status = 'scheduled' AND opens_at <= $1
       UNION ALL SELECT id, 'close' FROM polls WHERE status = 'open' AND closes_at <= $1
       UNION ALL SELECT id, 'remind' FROM polls WHERE status = 'open' AND remind_at <= $1 AND reminded_at IS NULL`,
      [now],
    );
    const done = { opened: 0, closed: 0, reminded: 0 };
    for (const { id } of due.filter((d) => d.what === 'open'))
      if (await this.open(id, { actorId: null })) done.opened += 1;
    for (const { id } of due.filter((d) => d.what === 'remind')) if (await this.remind(id)) done.reminded += 1;
    for (const { id } of due.filter((d) => d.what === 'close'))
      if (await this.close(id, { actorId: null })) done.closed += 1;
    const future = await this.dataSource.getRepository(Poll).find({
      where: [{ status: PollStatus.Scheduled }, { status: PollStatus.Open }],
    });
    for (const poll of future) await this.plan(poll);
    return done;
  }

  private fromRow(row: Record<string, unknown>): Partial<Poll> {
    return {
      id: row.id as string,
      communityId: row.community_id as string,
      createdBy: row.created_by as string | null,
      templateOf: (row.template_of as string | null) ?? null,
      title: row.title as string,
      contextSource: row.context_source as string,
      contextHtml: row.context_html as string,
      status: row.status as PollStatus,
      anonymous: row.anonymous as boolean,
      allowChange: row.allow_change as boolean,
      resultsVisibility: row.results_visibility as Poll['resultsVisibility'],
      audienceProfessions: row.audience_professions as string[],
      audienceCareerStages: row.audience_career_stages as string[],
      audienceRegions: row.audience_regions as string[],
      opensAt: row.opens_at as Date | null,
      closesAt: row.closes_at as Date | null,
      remindAt: row.remind_at as Date | null,
      openedAt: row.opened_at as Date | null,
      closedAt: row.closed_at as Date | null,
      remindedAt: row.reminded_at as Date | null,
      remindedNowAt: row.reminded_now_at as Date | null,
      electorateSize: row.electorate_size as number,
      version: row.version as number,
      createdAt: row.created_at as Date,
      updatedAt: row.updated_at as Date,
    };
  }
}
