import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequestTimeout } from '@cophub/core';
import {
  AuthUser,
  CommunityContext,
  CommunityRole,
  CurrentCommunity,
  CurrentUser,
  RequireCommunityRole,
} from '@cophub/identity';
import {
  ContributorView,
  ListResourcesQueryDto,
  ResourceContributorService,
  ResourceDownloadService,
  ResourcePageView,
  ResourceService,
  ResourceView,
  toContributorView,
  toResourceView,
  UpdateResourceDto,
} from '@cophub/resources';

/** Ten minutes: a 25 MB file over a slow mobile connection. */
const UPLOAD_TIMEOUT_MS = 600_000;

const UPLOAD_BODY = {
  schema: {
    type: 'object',
    properties: {
      file: {
        type: 'string',
        format: 'binary',
        description: 'PDF, DOCX, PPTX, XLSX, ODT, PNG, JPEG, text or Markdown',
      },
      url: { type: 'string', description: 'An https link instead of a file' },
      title: { type: 'string' },
      description: { type: 'string', description: 'Markdown' },
      tags: { type: 'string', description: 'Comma-separated, or repeat the field' },
      professions: { type: 'string' },
      careerStages: { type: 'string' },
      eventId: { type: 'string', format: 'uuid' },
    },
  },
};

@ApiTags('resources')
@Controller('api/v1')
export class ResourcesController {
  constructor(
    private readonly resources: ResourceService,
    private readonly contributorGrants: ResourceContributorService,
    private readonly downloads: ResourceDownloadService,
  ) {}

  @Post('communities/:slug/resources')
  @RequireCommunityRole(CommunityRole.Member)
  // An upload streams for as long as the client's connection needs; the database part stays bounded
  // by the statement timeout.
  @RequestTimeout(UPLOAD_TIMEOUT_MS)
  @ApiConsumes('multipart/form-data')
  @ApiBody(UPLOAD_BODY)
  @ApiCreatedResponse({ type: ResourceView })
  async create(@CurrentCommunity() community: CommunityContext, @Req() request: FastifyRequest): Promise<ResourceView> {
    return toResourceView(await this.resources.create(community, request.raw));
  }

  @Get('communities/:slug/resources')
  @RequireCommunityRole(CommunityRole.Member)
  @ApiOkResponse({ type: ResourcePageView })
  async list(
    @CurrentCommunity() community: CommunityContext,
    @Query() query: ListResourcesQueryDto,
  ): Promise<ResourcePageView> {
    const page = await this.resources.list(
      community,
      { tag: query.tag, eventId: query.eventId, archived: query.archived },
      query.limit ?? 20,
      query.cursor,
    );
    return { items: page.items.map(toResourceView), nextCursor: page.nextCursor };
  }

  @Get('communities/:slug/resource-contributors')
  @RequireCommunityRole(CommunityRole.CoChair)
  @ApiOkResponse({ type: [ContributorView] })
  async contributors(@CurrentCommunity() community: CommunityContext): Promise<ContributorView[]> {
    return (await this.contributorGrants.list(community)).map(toContributorView);
  }

  @Put('communities/:slug/resource-contributors/:userId')
  @RequireCommunityRole(CommunityRole.CoChair)
  @HttpCode(HttpStatus.NO_CONTENT)
  async grant(
    @CurrentCommunity() community: CommunityContext,
    @Param('userId', new ParseUUIDPipe()) userId: string,
  ): Promise<void> {
    await this.contributorGrants.grant(community, userId);
  }

  @Delete('communities/:slug/resource-contributors/:userId')
  @RequireCommunityRole(CommunityRole.CoChair)
  @HttpCode(HttpStatus.NO_CONTENT)
  async revoke(
    @CurrentCommunity() community: CommunityContext,
    @Param('userId', new ParseUUIDPipe()) userId: string,
  ): Promise<void> {
    await this.contributorGrants.revoke(community, userId);
  }

  @Get('resources/:id')
  @ApiOkResponse({ type: ResourceView })
  async get(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<ResourceView> {
    return toResourceView(await this.resources.getForUser(user, id));
  }

  @Patch('resources/:id')
  @ApiOkResponse({ type: ResourceView })
  async update(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateResourceDto,
  ): Promise<ResourceView> {
    return toResourceView(await this.resources.update(user, id, body));
  }

  @Post('resources/:id/archive')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ResourceView })
  async archive(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<ResourceView> {
    return toResourceView(await this.resources.setArchived(user, id, true));
  }

  @Post('resources/:id/restore')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ResourceView })
  async restore(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<ResourceView> {
    return toResourceView(await this.resources.setArchived(user, id, false));
  }

  @Post('resources/:id/versions')
  @RequestTimeout(UPLOAD_TIMEOUT_MS)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' }, url: { type: 'string' } } },
  })
  @ApiCreatedResponse({ type: ResourceView })
  async addVersion(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Req() request: FastifyRequest,
  ): Promise<ResourceView> {
    return toResourceView(await this.resources.addVersion(user, id, request.raw));
  }

  /**
   * Streams one version's file: always as an attachment with a safe name and `nosniff`, so a file
   * can never be rendered in the app's origin; ETag is the SHA-256, and single byte ranges are served.
   */
  @Get('resources/:id/versions/:n/download')
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The file (206 with a Range header)' })
  async download(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('n', new ParseIntPipe()) versionNo: number,
    @Headers('range') range: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Headers('if-range') ifRange: string | undefined,
    @Res() response: FastifyReply,
  ): Promise<void> {
    const answer = await this.downloads.open(user, id, versionNo, { range, ifNoneMatch, ifRange });
    for (const [name, value] of answer.headers) response.header(name, value);
    if ('refusal' in answer) throw answer.refusal;
    if (answer.status === HttpStatus.NOT_MODIFIED) {
      await response.status(HttpStatus.NOT_MODIFIED).send();
      return;
    }
    // Fastify pipes the stream with back-pressure (memory stays flat) and closes the file if the client goes away.
    await response.status(answer.status).send(answer.body);
  }
}
