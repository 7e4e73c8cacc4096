import { Body, Controller, Get, Header, HttpCode, HttpStatus, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuditService } from '@cophub/audit';
import { IdempotencyNotStored, RequestTimeout, SqlPort } from '@cophub/core';
import {
  AuthUser,
  CommunityContext,
  CommunityRole,
  CurrentCommunity,
  CurrentUser,
  RequireCommunityRole,
} from '@cophub/identity';
import {
  BallotService,
  PollLifecycleService,
  Poll,
  PollPolicy,
  PollResults,
  PollsService,
  NamedResponsesService,
  ResultsService,
  councilReport,
  councilReportPdf,
  resultsCsv,
  summaryHtml,
} from '@cophub/polls';
import {
  ElectoratePreviewDto,
  CreatePollDto,
  ElectoratePreviewView,
  ListPollsQueryDto,
  OpenPollDto,
  PollIdParamsDto,
  PollPageView,
  PollView,
  RemindResultView,
  ScheduleDto,
  SubmitResponseDto,
  SubmitResultView,
  UpdatePollDto,
} from './dto/poll.dto';
import { toPollSummaryView, toPollView } from './polls.views';

/** Opening and closing work through the whole electorate in one transaction. */
const POLL_TRANSITION_TIMEOUT_MS = 180_000;

@ApiTags('polls')
@Controller('api/v1/communities/:slug/polls')
export class CommunityPollsController {
  constructor(
    private readonly polls: PollsService,
    private readonly policy: PollPolicy,
  ) {}

  @Get()
  @RequireCommunityRole(CommunityRole.Member)
  @ApiOkResponse({ type: PollPageView })
  async list(
    @CurrentCommunity() community: CommunityContext,
    @CurrentUser() user: AuthUser,
    @Query() query: ListPollsQueryDto,
  ): Promise<PollPageView> {
    const page = await this.polls.list(community, user, query.limit ?? 20, query.cursor);
    return { items: page.items.map(toPollSummaryView), nextCursor: page.nextCursor };
  }

  @Post()
  @RequireCommunityRole(CommunityRole.CoChair)
  @ApiCreatedResponse({ type: PollView, description: 'A draft poll' })
  async create(@CurrentCommunity() community: CommunityContext, @Body() body: CreatePollDto): Promise<PollView> {
    return toPollView(await this.polls.create(community, body), this.polls.now());
  }

  /** The builder's live count: whom a proposed audience reaches today, before anything is saved. */
  @Post('electorate-preview')
  @HttpCode(HttpStatus.OK)
  @RequireCommunityRole(CommunityRole.CoChair)
  @IdempotencyNotStored('a count that changes nothing; repeating it is harmless')
  @ApiOkResponse({ type: ElectoratePreviewView })
  async electoratePreview(
    @CurrentCommunity() community: CommunityContext,
    @Body() body: ElectoratePreviewDto,
  ): Promise<ElectoratePreviewView> {
    return this.polls.electoratePreview(community.community.id, body);
  }
}

@ApiTags('polls')
@Controller('api/v1/polls')
export class PollsController {
  constructor(
    private readonly polls: PollsService,
    private readonly policy: PollPolicy,
    private readonly lifecycle: PollLifecycleService,
    private readonly ballots: BallotService,
    private readonly results: ResultsService,
    private readonly named: NamedResponsesService,
    private readonly audit: AuditService,
    private readonly sql: SqlPort,
  ) {}

  @Get(':id')
  @ApiOkResponse({ type: PollView })
  async get(@CurrentUser() user: AuthUser, @Param() params: PollIdParamsDto): Promise<PollView> {
    return toPollView(await this.polls.detail(await this.policy.view(user, params.id), user.id), this.polls.now());
  }

  @Patch(':id')
  @ApiOkResponse({ type: PollView, description: 'Drafts only' })
  async update(
    @CurrentUser() user: AuthUser,
    @Param() params: PollIdParamsDto,
    @Body() body: UpdatePollDto,
  ): Promise<PollView> {
    const access = await this.policy.manage(user, params.id);
    return toPollView(await this.polls.update(access, body, user.id), this.polls.now());
  }

  @Post(':id/schedule')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: PollView, description: 'Sets opening (not yet open), closing and reminder times' })
  async schedule(
    @CurrentUser() user: AuthUser,
    @Param() params: PollIdParamsDto,
    @Body() body: ScheduleDto,
  ): Promise<PollView> {
    const access = await this.policy.manage(user, params.id);
    await this.lifecycle.schedule(access.poll, user.id, body);
    return toPollView(await this.polls.detail(await this.policy.manage(user, params.id), user.id), this.polls.now());
  }

  @Post(':id/open')
  @HttpCode(HttpStatus.OK)
  // Snapshotting a large electorate and staging its invitations is one transaction that grows with the
  // community (10,000 members: tens of seconds on a busy machine); the general deadline would refuse it.
  @RequestTimeout(POLL_TRANSITION_TIMEOUT_MS)
  @ApiOkResponse({ type: PollView, description: 'Opens now: snapshots the electorate and sends invitations' })
  async open(
    @CurrentUser() user: AuthUser,
    @Param() params: PollIdParamsDto,
    @Body() body: OpenPollDto,
  ): Promise<PollView> {
    await this.policy.manage(user, params.id);
    await this.lifecycle.open(params.id, { actorId: user.id }, body);
    return toPollView(await this.polls.detail(await this.policy.manage(user, params.id), user.id), this.polls.now());
  }

  @Post(':id/close')
  @HttpCode(HttpStatus.OK)
  // Closing mixes the last sealed ballots and rewrites every participation row, likewise.
  @RequestTimeout(POLL_TRANSITION_TIMEOUT_MS)
  @ApiOkResponse({ type: PollView })
  async close(@CurrentUser() user: AuthUser, @Param() params: PollIdParamsDto): Promise<PollView> {
    await this.policy.manage(user, params.id);
    await this.lifecycle.close(params.id, { actorId: user.id });
    return toPollView(await this.polls.detail(await this.policy.manage(user, params.id), user.id), this.polls.now());
  }

  @Post(':id/remind')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({
    type: RemindResultView,
    description:
      'Reminds the members who have not answered (once per cooldown; 429 with Retry-After before). Never says how many.',
  })
  async remind(@CurrentUser() user: AuthUser, @Param() params: PollIdParamsDto): Promise<RemindResultView> {
    await this.policy.manage(user, params.id);
    const sent = await this.lifecycle.remindNow(params.id, user.id);
    return {
      message: 'Reminder sent to members who have not answered.',
      sentAt: sent.sentAt.toISOString(),
      nextAllowedAt: sent.nextAllowedAt.toISOString(),
    };
  }

  @Post(':id/responses')
  @HttpCode(HttpStatus.CREATED)
  // A stored key would be a per-member record of when (and, by its body hash, how) they voted, next to
  // anonymous ballots. A retry is safe without it: one response per member is settled by the database
  // and a second submission answers 409 already_responded (or, where changes are allowed, the same
  // answers replace themselves).
  @IdempotencyNotStored('ballots are never recorded against the member; a retry answers 409 already_responded')
  @ApiCreatedResponse({ type: SubmitResultView })
  async submit(
    @CurrentUser() user: AuthUser,
    @Param() params: PollIdParamsDto,
    @Body() body: SubmitResponseDto,
  ): Promise<SubmitResultView> {
    // Who may answer is checked before the answers are looked at, so that an outsider's 4xx says
    // nothing about the poll's questions. Rate limit (counted without per-member times), timing and
    // one-per-member are settled by the service; the request log of this route carries no user.
    await this.policy.view(user, params.id);
    const result = await this.ballots.submit(user.id, params.id, body.answers);
    return { accepted: true, replaced: result.replaced };
  }

  /** Named polls: who answered what, and who has not answered yet (co-chairs; audited). */
  @Get(':id/named-responses')
  @ApiOkResponse({ description: 'Each respondent with their answers; anonymous polls answer 400' })
  async namedResponses(@CurrentUser() user: AuthUser, @Param() params: PollIdParamsDto) {
    const access = await this.policy.manage(user, params.id);
    return this.named.list(access.poll, user.id);
  }

  @Get(':id/results')
  @ApiOkResponse({ description: 'Counts, turnout and (when allowed) suppressed breakdowns' })
  async resultsOf(@CurrentUser() user: AuthUser, @Param() params: PollIdParamsDto): Promise<PollResults> {
    const access = await this.policy.view(user, params.id);
    return this.results.forViewer(access.poll, access);
  }

  @Get(':id/results.csv')
  @ApiProduces('text/csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  async csv(
    @CurrentUser() user: AuthUser,
    @Param() params: PollIdParamsDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<string> {
    const access = await this.policy.manage(user, params.id);
    const results = await this.results.forViewer(access.poll, access);
    await this.recordExport(user, access.poll, 'csv', results);
    res.header('Content-Disposition', `attachment; filename="poll-${access.poll.id}-results.csv"`);
    return resultsCsv(access.poll, results);
  }

  @Get(':id/summary')
  @ApiProduces('text/html')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async summary(@CurrentUser() user: AuthUser, @Param() params: PollIdParamsDto): Promise<string> {
    const access = await this.policy.manage(user, params.id);
    const results = await this.results.forViewer(access.poll, access);
    await this.recordExport(user, access.poll, 'summary', results);
    return summaryHtml(access.poll, access.context.community.name, results);
  }

  /** The council report as an A4 PDF: the summary's content, drawn server-side (co-chairs; audited). */
  @Get(':id/report.pdf')
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'A4 PDF: cover, a chart and table per question, suppression notes, method' })
  async reportPdf(
    @CurrentUser() user: AuthUser,
    @Param() params: PollIdParamsDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<Buffer> {
    const access = await this.policy.manage(user, params.id);
    const results = await this.results.forViewer(access.poll, access);
    const pdf = await councilReportPdf(councilReport(access.poll, access.context.community.name, results));
    await this.recordExport(user, access.poll, 'pdf', results);
    res.header('Content-Type', 'application/pdf');
    res.header('Content-Disposition', `attachment; filename="poll-${access.poll.id}-report.pdf"`);
    return pdf;
  }

  private recordExport(user: AuthUser, poll: Poll, format: string, results: PollResults): Promise<void> {
    return this.sql.transaction((_tx, manager) =>
      this.audit.record(manager, {
        communityId: poll.communityId,
        actorId: user.id,
        action: 'poll.exported',
        targetType: 'poll',
        targetId: poll.id,
        data: { format, breakdowns: results.breakdownsShown },
      }),
    );
  }
}
