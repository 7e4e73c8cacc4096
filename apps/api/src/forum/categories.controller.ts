import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
  Res,
} from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CategoryService, CategoryView } from '@cophub/forum';
import {
  AuthUser,
  CommunityContext,
  CommunityRole,
  CurrentCommunity,
  CurrentUser,
  RequireCommunityRole,
} from '@cophub/identity';
import { ReplyLike, sendHashedConditional } from './conditional-response';
import { CreateCategoryDto, MergeCategoryDto, ReorderCategoriesDto, UpdateCategoryDto } from '@cophub/forum';

@ApiTags('forum')
@Controller('api/v1')
export class ForumCategoriesController {
  constructor(private readonly categories: CategoryService) {}

  @Get('communities/:slug/categories')
  @RequireCommunityRole(CommunityRole.Member)
  @ApiOkResponse({ type: [CategoryView], description: 'ETag, 304 for If-None-Match' })
  async list(
    @CurrentCommunity() community: CommunityContext,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() reply: ReplyLike,
  ): Promise<void> {
    sendHashedConditional(reply, await this.categories.list(community), ifNoneMatch);
  }

  @Post('communities/:slug/categories')
  @RequireCommunityRole(CommunityRole.CoChair)
  @ApiCreatedResponse({ type: CategoryView })
  create(@CurrentCommunity() community: CommunityContext, @Body() body: CreateCategoryDto): Promise<CategoryView> {
    return this.categories.create(community, body);
  }

  @Put('communities/:slug/categories/order')
  @RequireCommunityRole(CommunityRole.CoChair)
  @ApiOkResponse({ type: [CategoryView], description: 'The categories in their new order' })
  reorder(
    @CurrentCommunity() community: CommunityContext,
    @Body() body: ReorderCategoriesDto,
  ): Promise<CategoryView[]> {
    return this.categories.reorder(community, body.categoryIds);
  }

  @Post('categories/:id/merge')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: CategoryView, description: 'The category that received the threads' })
  merge(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: MergeCategoryDto,
  ): Promise<CategoryView> {
    return this.categories.merge(user, id, body.into);
  }

  @Patch('categories/:id')
  @ApiOkResponse({ type: CategoryView })
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateCategoryDto,
  ): Promise<CategoryView> {
    return this.categories.update(user, id, body);
  }

  @Delete('categories/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  @ApiConflictResponse({ description: 'The category still holds threads: merge or move them first' })
  remove(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    return this.categories.remove(user, id);
  }
}
