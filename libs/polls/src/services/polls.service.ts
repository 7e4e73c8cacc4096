import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@cophub/audit';
import { Clock, decodeCursor, Page, toPage } from '@cophub/core';
import { AuthUser, CommunityContext, CommunityRole, hasRole } from '@cophub/identity';
import { NotificationChannel, NotificationKind, NotificationService } from '@cophub/notifications';
import { DataSource, EntityManager } from 'typeorm';
import { PollStatus, ResultsVisibility } from '../entities/enums';
import { Poll } from '../entities/poll.entity';
import { PollOption } from '../entities/poll-option.entity';
import { PollQuestion } from '../entities/poll-question.entity';
import { PollError, PollErrorCode } from '../errors/polls.error';
import { AUDIENCE_SQL, PollAccess } from '../policies/poll.policy';
import { QuestionSpec } from './answers';
import { checkDefinition, PollDefinition, QuestionDefinition, renderContext } from './poll-definitions';
import { audienceOverlaps, overlapMessage } from './audience-overlap';

export interface PollDetail {
  poll: Poll;
  community: { slug: string; name: string };
  questions: QuestionSpec[];
  responses: number;
  me: { inAudience: boolean; responded: boolean; manages: boolean };
}

/** Creating, editing (drafts only), listing and reading polls. */
@Injectable()
export class PollsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly notifications: NotificationService,
  ) {}

  /**
   * Creates a draft and answers with its detail as the creating transaction sees it, read before
   * COMMIT: a read after the commit could fail and report a created poll as an error (and a retry
   * would create a second one).
   */
  async create(
    context: CommunityContext,
    def: PollDefinition & { title: string; questions: QuestionDefinition[]; templateOf?: string },
  ): Promise<PollDetail> {
    checkDefinition(def);
    this.checkTimes(def.opensAt ?? null, def.closesAt ?? null, def.remindAt ?? null);
    return this.dataSource.transaction(async (manager) => {
      if (def.templateOf) {
        const [template] = await manager.query(`SELECT 1 FROM polls WHERE id = $1 AND community_id = $2`, [
          def.templateOf,
          context.community.id,
        ]);
        if (!template) throw new PollError(PollErrorCode.InvalidPoll, 'templateOf must be a poll of this community');
      }
      const poll = await manager.save(
        manager.create(Poll, {
          communityId: context.community.id,
          createdBy: context.userId,
          templateOf: def.templateOf ?? null,
          title: def.title.trim(),
          contextSource: def.context ?? '',
          contextHtml: renderContext(def.context ?? ''),
          anonymous: def.anonymous ?? true,
          allowChange: def.allowChange ?? false,
          resultsVisibility: def.resultsVisibility ?? ResultsVisibility.AfterClose,
          audienceProfessions: def.audience?.professions ?? [],
          audienceCareerStages: def.audience?.careerStages ?? [],
          audienceRegions: def.audience?.regions ?? [],
          opensAt: def.opensAt ? new Date(def.opensAt) : null,
          closesAt: def.closesAt ? new Date(def.closesAt) : null,
          remindAt: def.remindAt ? new Date(def.remindAt) : null,
        }),
      );
      await this.writeQuestions(manager, poll, def.questions);
      await this.audit.record(manager, {
        communityId: poll.communityId,
        actorId: context.userId,
        action: 'poll.created',
        targetType: 'poll',
        targetId: poll.id,
        data: { title: poll.title, anonymous: poll.anonymous, questions: def.questions.length },
      });
      return this.detailWithin(manager, poll, context);
    });
  }

  /** Drafts only: once scheduled, the questions are what members will see. Answers as `create` does. */
  async update(access: PollAccess, def: PollDefinition, userId: string): Promise<PollDetail> {
    checkDefinition(def, access.poll);
    return this.dataSource.transaction(async (manager) => {
      const poll = await manager.findOne(Poll, { where: { id: access.poll.id }, lock: { mode: 'pessimistic_write' } });
      if (!poll) throw new PollError(PollErrorCode.NotFound, 'Poll not found');
      if (poll.status !== PollStatus.Draft) {
        throw new PollError(PollErrorCode.NotEditable, 'Only a draft poll can be edited');
      }
      if (def.title !== undefined) poll.title = def.title.trim();
      if (def.context !== undefined) {
        poll.contextSource = def.context;
        poll.contextHtml = renderContext(def.context);
      }
      if (def.anonymous !== undefined) poll.anonymous = def.anonymous;
      if (def.allowChange !== undefined) poll.allowChange = def.allowChange;
      if (def.resultsVisibility !== undefined) poll.resultsVisibility = def.resultsVisibility;
      if (def.audience?.professions) poll.audienceProfessions = def.audience.professions;
      if (def.audience?.careerStages) poll.audienceCareerStages = def.audience.careerStages;
      if (def.audience?.regions) poll.audienceRegions = def.audience.regions;
      if (def.opensAt !== undefined) poll.opensAt = def.opensAt ? new Date(def.opensAt) : null;
      if (def.closesAt !== undefined) poll.closesAt = def.closesAt ? new Date(def.closesAt) : null;
      if (def.remindAt !== undefined) poll.remindAt = def.remindAt ? new Date(def.remindAt) : null;
      this.checkTimes(
        poll.opensAt?.toISOString() ?? null,
        poll.closesAt?.toISOString() ?? null,
        poll.remindAt?.toISOString() ?? null,
      );
      await manager.save(poll);
      if (def.questions) {
        await manager.delete(PollQuestion, { pollId: poll.id });
        await this.writeQuestions(manager, poll, def.questions);
      }
      return this.detailWithin(manager, poll, { ...access.context, userId });
    });
  }

  /** The planned times of a draft must follow each other; the database's check would otherwise answer 500. */
  private checkTimes(opensAt: string | null, closesAt: string | null, remindAt: string | null): void {
    const [opens, closes, remind] = [opensAt, closesAt, remindAt].map((t) => (t ? new Date(t).getTime() : null));
    const invalid = (message: string) => new PollError(PollErrorCode.InvalidPoll, message);
    if (opens !== null && closes !== null && closes <= opens) throw invalid('closesAt must be after opensAt');
    if (closes !== null && remind !== null && remind >= closes) {
      throw invalid('the reminder must be before the poll closes');
    }
    if (opens !== null && remind !== null && remind <= opens) throw invalid('remindAt must be after opensAt');
  }

  /**
   * How many approved members a proposed audience reaches today, and how many of them take poll
   * invitations by email (the rest chose in-app only, a digest, or nothing). Opening snapshots the
   * same set, so this is the count a co-chair confirms before opening.
   */
  async electoratePreview(
    communityId: string,
    audience: {
      professions?: string[];
      careerStages?: string[];
      regions?: string[];
      pollId?: string;
      templateOf?: string;
      prompts?: string[];
      anonymous?: boolean;
    },
  ): Promise<{ members: number; emailed: number; overlap: string | null }> {
    const members: Array<{ id: string }> = await this.dataSource.query(
      `SELECT u.id FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.community_id = $1 AND m.status = 'approved' AND ${AUDIENCE_SQL('u', '$2', '$3', '$4')}`,
      [communityId, audience.professions ?? [], audience.careerStages ?? [], audience.regions ?? []],
    );
    const channels = await this.notifications.channels(
      this.dataSource.manager,
      members.map((m) => m.id),
      [NotificationKind.PollInvitation],
    );
    const emailed = [...channels.values()].filter((c) => c === NotificationChannel.Email).length;
    return { members: members.length, emailed, overlap: await this.overlapWarning(communityId, audience) };
  }

  /** What opening would refuse for another poll's audience, said before opening (null when nothing). */
  private async overlapWarning(
    communityId: string,
    input: {
      professions?: string[];
      careerStages?: string[];
      regions?: string[];
      pollId?: string;
      templateOf?: string;
      prompts?: string[];
      anonymous?: boolean;
    },
  ): Promise<string | null> {
    let poll: Poll | null = null;
    if (input.pollId) {
      poll = await this.dataSource.getRepository(Poll).findOneBy({ id: input.pollId, communityId });
      if (!poll) throw new PollError(PollErrorCode.InvalidPoll, 'pollId must be a poll of this community');
    }
    if (!(input.anonymous ?? poll?.anonymous ?? true)) return null;
    const prompts = [...(input.prompts ?? [])];
    if (poll) prompts.push(...(await this.questions(poll.id)).map((q) => q.prompt));
    const [{ k }] = await this.dataSource.query(`SELECT breakdown_threshold AS k FROM communities WHERE id = $1`, [
      communityId,
    ]);
    const overlaps = await audienceOverlaps(
      this.dataSource.manager,
      {
        communityId,
        pollId: poll?.id ?? null,
        templateOf: input.templateOf ?? poll?.templateOf ?? null,
        prompts,
        professions: input.professions ?? [],
        careerStages: input.careerStages ?? [],
        regions: input.regions ?? [],
      },
      k,
    );
    return overlaps.length ? overlapMessage(overlaps[0], k) : null;
  }

  private async writeQuestions(manager: EntityManager, poll: Poll, questions: QuestionDefinition[]): Promise<void> {
    for (const [position, q] of questions.entries()) {
      const question = await manager.save(
        manager.create(PollQuestion, {
          pollId: poll.id,
          communityId: poll.communityId,
          position,
          kind: q.kind,
          prompt: q.prompt.trim(),
          required: q.required ?? true,
          minChoices: q.minChoices ?? (q.kind === 'multiple_choice' ? 1 : 0),
          maxChoices: q.maxChoices ?? null,
        }),
      );
      if (q.options?.length) {
        await manager.insert(
          PollOption,
          q.options.map((label, i) => ({ questionId: question.id, pollId: poll.id, position: i, label: label.trim() })),
        );
      }
    }
  }

  async questions(pollId: string, manager: EntityManager = this.dataSource.manager): Promise<QuestionSpec[]> {
    const [questions, options] = await Promise.all([
      manager.getRepository(PollQuestion).find({ where: { pollId }, order: { position: 'ASC' } }),
      manager.getRepository(PollOption).find({ where: { pollId }, order: { position: 'ASC' } }),
    ]);
    return questions.map((q) => ({
      id: q.id,
      position: q.position,
      kind: q.kind,
      prompt: q.prompt,
      required: q.required,
      minChoices: q.minChoices,
      maxChoices: q.maxChoices,
      options: options.filter((o) => o.questionId === q.id).map((o) => ({ id: o.id, label: o.label })),
    }));
  }

  async detail(access: PollAccess, userId: string): Promise<PollDetail> {
    const [questions, counts] = await Promise.all([
      this.questions(access.poll.id),
      this.dataSource.query(
        `SELECT ((SELECT count(*) FROM poll_ballots WHERE poll_id = $1)
                 + (SELECT count(*) FROM poll_sealed_ballots WHERE poll_id = $1))::int AS responses,
                EXISTS (SELECT 1 FROM poll_electorate WHERE poll_id = $1 AND user_id = $2 AND responded) AS responded`,
        [access.poll.id, userId],
      ),
    ]);
    return {
      poll: access.poll,
      community: { slug: access.context.community.slug, name: access.context.community.name },
      questions,
      responses: counts[0].responses,
      me: { inAudience: access.inAudience, responded: counts[0].responded, manages: access.manages },
    };
  }

  /**
   * A co-chair's view of a poll they are changing, read with the changing transaction's manager so it
   * is complete before COMMIT (the caller is a co-chair: the routes that call this require it).
   */
  private async detailWithin(manager: EntityManager, poll: Poll, context: CommunityContext): Promise<PollDetail> {
    const { userId } = context;
    const questions = await this.questions(poll.id, manager);
    const [counts]: Array<{ responses: number; responded: boolean; in_audience: boolean }> = await manager.query(
      `SELECT ((SELECT count(*) FROM poll_ballots WHERE poll_id = $1)
                 + (SELECT count(*) FROM poll_sealed_ballots WHERE poll_id = $1))::int AS responses,
              EXISTS (SELECT 1 FROM poll_electorate WHERE poll_id = $1 AND user_id = $2 AND responded) AS responded,
              CASE WHEN $3 IN ('open', 'closed')
                   THEN EXISTS (SELECT 1 FROM poll_electorate WHERE poll_id = $1 AND user_id = $2)
                   ELSE EXISTS (SELECT 1 FROM users u JOIN memberships m ON m.user_id = u.id AND m.community_id = $4
                                                                      AND m.status = 'approved'
                                 WHERE u.id = $2 AND ${AUDIENCE_SQL('u', '$5', '$6', '$7')}) END AS in_audience`,
      [
        poll.id,
        userId,
        poll.status,
        poll.communityId,
        poll.audienceProfessions,
        poll.audienceCareerStages,
        poll.audienceRegions,
      ],
    );
    return {
      poll,
      community: { slug: context.community.slug, name: context.community.name },
      questions,
      responses: counts.responses,
      me: { inAudience: counts.in_audience, responded: counts.responded, manages: true },
    };
  }

  /**
   * Polls the caller may see, newest first: co-chairs see all (drafts included); members see the
   * ones whose electorate they are in, or scheduled ones whose audience they match.
   */
  async list(context: CommunityContext, user: AuthUser, limit: number, cursor?: string): Promise<Page<Poll>> {
    const params: unknown[] = [context.community.id, user.id, limit + 1];
    let where = 'p.community_id = $1';
    if (cursor) {
      const [createdAt, id] = decodeCursor(cursor, ['date', 'uuid']);
      params.push(createdAt, id);
      where += ` AND (p.created_at, p.id) < ($4::timestamptz, $5::uuid)`;
    }
    if (!hasRole(context, CommunityRole.CoChair)) {
      where += ` AND (
        (p.status IN ('open', 'closed') AND EXISTS (SELECT 1 FROM poll_electorate e WHERE e.poll_id = p.id AND e.user_id = $2))
        OR (p.status = 'scheduled' AND EXISTS (SELECT 1 FROM users u WHERE u.id = $2 AND ${AUDIENCE_SQL(
          'u',
          'p.audience_professions',
          'p.audience_career_stages',
          'p.audience_regions',
        )})))`;
    }
    const rows = await this.dataSource
      .getRepository(Poll)
      .createQueryBuilder('p')
      .where(
        where.replace(/\$(\d+)/g, (_, n) => `:p${n}`),
        Object.fromEntries(params.map((v, i) => [`p${i + 1}`, v])),
      )
      .orderBy('p.created_at', 'DESC')
      .addOrderBy('p.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    return toPage(rows, limit, (p) => [p.createdAt.toISOString(), p.id]);
  }

  now(): Date {
    return this.clock.now();
  }
}
