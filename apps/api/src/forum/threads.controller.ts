import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  BookmarkPageView,
  ModerationService,
  PostMarksService,
  SubscriptionLevel,
  ThreadPageView,
  ThreadService,
  ThreadView,
} from '@cophub/forum';
import {
  AuthUser,
  CommunityContext,
  CommunityRole,
  CurrentCommunity,
  CurrentUser,
  RequireCommunityRole,
} from '@cophub/identity';
import { PageQueryDto } from '@cophub/core';
import { ReplyLike, sendConditional, sendHashedConditional } from './conditional-response';
import {
  CountView,
  CreateThreadDto,
  ListThreadsQueryDto,
  LockDto,
  ForumReadAllDto,
  ThreadReadDto,
  MoveDto,
  PinDto,
  SubscriptionDto,
} from '@cophub/forum';

@ApiTags('forum')
@Controller('api/v1')
export class ForumThreadsController {
  constructor(
    private readonly threads: ThreadService,
    private readonly marks: PostMarksService,
    private readonly moderation: ModerationService,
  ) {}

  @Get('communities/:slug/threads')
  @RequireCommunityRole(CommunityRole.Member)
  @ApiOkResponse({
    type: ThreadPageView,
    description: 'Latest activity first, pinned on top, with unread counts; ETag, 304 for If-None-Match',
  })
  async list(
    @CurrentCommunity() community: CommunityContext,
    @Query() query: ListThreadsQueryDto,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() reply: ReplyLike,
  ): Promise<void> {
    sendConditional(
      reply,
      await this.threads.list(
        community,
        { categoryId: query.categoryId },
        query.limit ?? 20,
        query.cursor,
        ifNoneMatch,
      ),
    );
  }

  @Post('communities/:slug/threads')
  @RequireCommunityRole(CommunityRole.Member)
  @ApiCreatedResponse({ type: ThreadView })
  create(@CurrentCommunity() community: CommunityContext, @Body() body: CreateThreadDto): Promise<ThreadView> {
    return this.threads.create(community, body);
  }

  @Post('communities/:slug/forum/read-all')
  @RequireCommunityRole(CommunityRole.Member)
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: CountView, description: 'How many threads were marked read' })
  async markAllRead(
    @CurrentCommunity() community: CommunityContext,
    @Body() body: ForumReadAllDto,
  ): Promise<CountView> {
    return { count: await this.threads.markAllRead(community, body.categoryId) };
  }

  @Get('communities/:slug/bookmarks')
  @RequireCommunityRole(CommunityRole.Member)
  @ApiOkResponse({ type: BookmarkPageView })
  bookmarks(@CurrentCommunity() community: CommunityContext, @Query() query: PageQueryDto): Promise<BookmarkPageView> {
    return this.marks.bookmarks(community, query.limit ?? 20, query.cursor);
  }

  @Get('threads/:id')
  @ApiOkResponse({ type: ThreadView, description: 'ETag, 304 for If-None-Match' })
  async get(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() reply: ReplyLike,
  ): Promise<void> {
    sendHashedConditional(reply, await this.threads.get(user, id), ifNoneMatch);
  }

  @Put('threads/:id/read')
  @ApiOkResponse({ type: ThreadView })
  markRead(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ThreadReadDto,
  ): Promise<ThreadView> {
    return this.threads.markRead(user, id, body.postNumber);
  }

  @Put('threads/:id/subscription')
  @ApiOkResponse({ type: ThreadView })
  subscribe(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: SubscriptionDto,
  ): Promise<ThreadView> {
    return this.threads.subscribe(user, id, body.level === 'normal' ? null : (body.level as SubscriptionLevel));
  }

  @Put('threads/:id/pin')
  @ApiOkResponse({ type: ThreadView })
  pin(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: PinDto,
  ): Promise<ThreadView> {
    return this.moderation.setPinned(user, id, body.pinned);
  }

  @Put('threads/:id/lock')
  @ApiOkResponse({ type: ThreadView })
  lock(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: LockDto,
  ): Promise<ThreadView> {
    return this.moderation.setLocked(user, id, body.locked);
  }

  @Post('threads/:id/move')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ThreadView })
  move(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: MoveDto,
  ): Promise<ThreadView> {
    return this.moderation.move(user, id, body.categoryId);
  }
}
