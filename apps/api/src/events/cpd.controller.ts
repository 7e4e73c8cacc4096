import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Put, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Clock } from '@cophub/core';
import {
  cpdCsv,
  CpdEntryView,
  cpdPrintPage,
  CpdRecordView,
  CpdReflectionDto,
  CpdService,
  CreateCpdActivityDto,
  toCpdEntryView,
  UpdateCpdActivityDto,
} from '@cophub/events';
import { AuthUser, CurrentUser, UserService } from '@cophub/identity';

/**
 * The caller's own CPD record. Every route is under `/me` and keyed by the caller: there is no way to
 * name another person's record, and an entry id that is not the caller's is not found (404).
 */
@ApiTags('cpd')
@Controller('api/v1/me')
export class CpdController {
  constructor(
    private readonly cpd: CpdService,
    private readonly users: UserService,
    private readonly clock: Clock,
  ) {}

  @Get('cpd')
  @ApiOkResponse({ type: CpdRecordView })
  async record(@CurrentUser() user: AuthUser): Promise<CpdRecordView> {
    const entries = await this.cpd.record(user.id);
    return {
      totalHours: Number(entries.reduce((sum, e) => sum + e.cpdHours, 0).toFixed(2)),
      entries: entries.map(toCpdEntryView),
    };
  }

  @Get('cpd.csv')
  @ApiProduces('text/csv')
  async csv(@CurrentUser() user: AuthUser, @Res() response: FastifyReply): Promise<void> {
    const entries = await this.cpd.record(user.id);
    response
      .status(200)
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', 'attachment; filename="cpd-record.csv"')
      .header('Cache-Control', 'private, no-store')
      .send(cpdCsv(entries));
  }

  @Get('cpd/print')
  @ApiProduces('text/html')
  async print(@CurrentUser() user: AuthUser, @Res() response: FastifyReply): Promise<void> {
    const [entries, profile] = await Promise.all([this.cpd.record(user.id), this.users.get(user.id)]);
    response
      .status(200)
      .header('Content-Type', 'text/html; charset=utf-8')
      .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
      .header('Cache-Control', 'private, no-store')
      .send(cpdPrintPage(profile.displayName, entries, this.clock.now()));
  }

  /** CPD that was not a CoP event: a course, reading, supervision or other. */
  @Post('cpd/activities')
  @ApiCreatedResponse({ type: CpdEntryView })
  async add(@CurrentUser() user: AuthUser, @Body() body: CreateCpdActivityDto): Promise<CpdEntryView> {
    return toCpdEntryView(await this.cpd.addActivity(user.id, body));
  }

  @Get('cpd/activities/:id')
  @ApiOkResponse({ type: CpdEntryView })
  async get(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<CpdEntryView> {
    return toCpdEntryView(await this.cpd.activity(user.id, id));
  }

  @Patch('cpd/activities/:id')
  @ApiOkResponse({ type: CpdEntryView })
  async update(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateCpdActivityDto,
  ): Promise<CpdEntryView> {
    return toCpdEntryView(await this.cpd.updateActivity(user.id, id, body));
  }

  @Delete('cpd/activities/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  async remove(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.cpd.removeActivity(user.id, id);
  }

  /** The caller's reflection on a CoP event they attended. */
  @Put('cpd/events/:eventId/reflection')
  @ApiOkResponse({ type: CpdEntryView })
  async reflect(
    @CurrentUser() user: AuthUser,
    @Param('eventId', new ParseUUIDPipe()) eventId: string,
    @Body() body: CpdReflectionDto,
  ): Promise<CpdEntryView> {
    return toCpdEntryView(await this.cpd.reflectOnEvent(user.id, eventId, body));
  }
}
