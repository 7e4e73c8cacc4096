import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  ParseEnumPipe,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  ModerationService,
  PostPageView,
  PostMarksService,
  PostService,
  PostView,
  ReactionKind,
  ReactionsView,
  RevisionView,
  ThreadPageService,
} from '@cophub/forum';
import { AuthUser, CurrentUser } from '@cophub/identity';
import { ReplyLike, sendConditionalJson } from './conditional-response';
import { CreatePostDto, EditPostDto, FlagDto, HideDto, IdView, ListPostsQueryDto } from '@cophub/forum';

const reactionPipe = new ParseEnumPipe(ReactionKind, {
  exceptionFactory: () => new BadRequestException(`reaction must be one of ${Object.values(ReactionKind).join(', ')}`),
});

@ApiTags('forum')
@Controller('api/v1')
export class ForumPostsController {
  constructor(
    private readonly posts: PostService,
    private readonly marks: PostMarksService,
    private readonly pages: ThreadPageService,
    private readonly moderation: ModerationService,
  ) {}

  @Get('threads/:id/posts')
  @ApiOkResponse({ type: PostPageView, description: 'Posts in order; ETag, 304 for If-None-Match' })
  async list(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: ListPostsQueryDto,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() reply: ReplyLike,
  ): Promise<void> {
    sendConditionalJson(
      reply,
      await this.pages.page(
        user,
        id,
        { limit: query.limit ?? 20, cursor: query.cursor, after: query.after },
        ifNoneMatch,
      ),
    );
  }

  @Post('threads/:id/posts')
  @ApiCreatedResponse({ type: PostView })
  reply(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: CreatePostDto,
  ): Promise<PostView> {
    return this.posts.reply(user, id, body);
  }

  @Get('posts/:id')
  @ApiOkResponse({ type: PostView })
  get(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<PostView> {
    return this.posts.get(user, id);
  }

  @Patch('posts/:id')
  @ApiOkResponse({ type: PostView })
  edit(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: EditPostDto,
  ): Promise<PostView> {
    return this.posts.edit(user, id, body);
  }

  @Delete('posts/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  remove(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    return this.posts.remove(user, id);
  }

  @Get('posts/:id/revisions')
  @ApiOkResponse({ type: [RevisionView], description: 'Earlier versions, newest first' })
  revisions(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<RevisionView[]> {
    return this.posts.revisions(user, id);
  }

  @Put('posts/:id/reactions/:kind')
  @ApiOkResponse({ type: ReactionsView })
  react(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('kind', reactionPipe) kind: ReactionKind,
  ): Promise<ReactionsView> {
    return this.marks.react(user, id, kind, true);
  }

  @Delete('posts/:id/reactions/:kind')
  @ApiOkResponse({ type: ReactionsView })
  unreact(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('kind', reactionPipe) kind: ReactionKind,
  ): Promise<ReactionsView> {
    return this.marks.react(user, id, kind, false);
  }

  @Put('posts/:id/bookmark')
  @HttpCode(HttpStatus.NO_CONTENT)
  bookmark(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    return this.marks.bookmark(user, id, true);
  }

  @Delete('posts/:id/bookmark')
  @HttpCode(HttpStatus.NO_CONTENT)
  unbookmark(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    return this.marks.bookmark(user, id, false);
  }

  @Post('posts/:id/flags')
  @ApiCreatedResponse({ type: IdView })
  flag(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: FlagDto,
  ): Promise<IdView> {
    return this.moderation.flag(user, id, body.reason);
  }

  @Put('posts/:id/hidden')
  @ApiOkResponse({ type: PostView, description: 'Moderators hide or unhide a post' })
  hide(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: HideDto,
  ): Promise<PostView> {
    return this.moderation.setHidden(user, id, body.hidden, body.reason);
  }
}
