import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CareerStage, Profession, Region } from '@cophub/identity';
import { PageQueryDto } from '@cophub/core';
import { CategoryPostPolicy, FlagStatus, POST_MAX_LENGTH, TITLE_MAX_LENGTH } from '../db/enums';
import { ThreadView } from './forum.views';

const bodyMessage = `body must be at most ${POST_MAX_LENGTH} characters`;

export class CreateCategoryDto {
  @ApiProperty() @IsString() @Length(1, 80) name: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) position?: number;
  @ApiPropertyOptional({ enum: CategoryPostPolicy, description: 'co_chairs: announcements, only co-chairs post' })
  @IsOptional()
  @IsEnum(CategoryPostPolicy, { message: `postPolicy must be one of ${Object.values(CategoryPostPolicy).join(', ')}` })
  postPolicy?: CategoryPostPolicy;
}

export class UpdateCategoryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 80) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) position?: number;
  @ApiPropertyOptional({ enum: CategoryPostPolicy })
  @IsOptional()
  @IsEnum(CategoryPostPolicy)
  postPolicy?: CategoryPostPolicy;
}

export class ReorderCategoriesDto {
  @ApiProperty({ type: [String], description: 'Every category of the community, once each, in the new order' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  categoryIds: string[];
}

export class MergeCategoryDto {
  @ApiProperty({ format: 'uuid', description: 'The category that receives the threads' })
  @IsUUID()
  into: string;
}

export class ListThreadsQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() categoryId?: string;
}

export class CreateThreadDto {
  @ApiProperty() @IsUUID() categoryId: string;
  @ApiProperty({ maxLength: TITLE_MAX_LENGTH }) @IsString() @Length(1, TITLE_MAX_LENGTH) title: string;
  @ApiProperty({ maxLength: POST_MAX_LENGTH, description: 'Markdown' })
  @IsString()
  @MaxLength(POST_MAX_LENGTH, { message: bodyMessage })
  body: string;
}

export class ListPostsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only posts after this post number (jump to unread, catch up after reconnect)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;
}

export class CreatePostDto {
  @ApiProperty({ maxLength: POST_MAX_LENGTH, description: 'Markdown; `@handle` mentions a member' })
  @IsString()
  @MaxLength(POST_MAX_LENGTH, { message: bodyMessage })
  body: string;

  @ApiPropertyOptional({ description: 'A post in the same community to quote above this one' })
  @IsOptional()
  @IsUUID()
  quotePostId?: string;
}

export class EditPostDto {
  @ApiProperty({ maxLength: POST_MAX_LENGTH })
  @IsString()
  @MaxLength(POST_MAX_LENGTH, { message: bodyMessage })
  body: string;

  @ApiPropertyOptional({ description: 'The version being edited; a different current version is a 409' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ThreadReadDto {
  @ApiProperty({ description: 'Highest post number read' }) @IsInt() @Min(0) postNumber: number;
}

export class ForumReadAllDto {
  @ApiPropertyOptional({ description: 'Only this category' }) @IsOptional() @IsUUID() categoryId?: string;
}

export class SubscriptionDto {
  @ApiProperty({ enum: ['watching', 'muted', 'normal'] })
  @IsIn(['watching', 'muted', 'normal'], { message: 'level must be one of watching, muted, normal' })
  level: 'watching' | 'muted' | 'normal';
}

export class PinDto {
  @ApiProperty() @IsBoolean() pinned: boolean;
}

export class LockDto {
  @ApiProperty() @IsBoolean() locked: boolean;
}

export class MoveDto {
  @ApiProperty() @IsUUID() categoryId: string;
}

export class HideDto {
  @ApiProperty() @IsBoolean() hidden: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

export class FlagDto {
  @ApiProperty() @IsString() @Length(1, 1000) reason: string;
}

export class FlagQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: FlagStatus, default: FlagStatus.Open })
  @IsOptional()
  @IsEnum(FlagStatus)
  status?: FlagStatus;
}

export class ResolveFlagDto {
  @ApiProperty({ enum: ['dismiss', 'hide'] })
  @IsIn(['dismiss', 'hide'], { message: 'action must be dismiss or hide' })
  action: 'dismiss' | 'hide';
}

export class ForumSearchQueryDto extends PageQueryDto {
  @ApiProperty() @IsString() @Length(1, 200) q: string;
}

export class IdView {
  @ApiProperty() id: string;
}

export class CountView {
  @ApiProperty() count: number;
}

export class AnnouncementAudienceDto {
  @ApiPropertyOptional({ enum: Profession, isArray: true, description: 'Empty or absent: every profession' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsEnum(Profession, { each: true, message: `each profession must be one of ${Object.values(Profession).join(', ')}` })
  professions?: Profession[];

  @ApiPropertyOptional({ enum: CareerStage, isArray: true, description: 'Empty or absent: every career stage' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsEnum(CareerStage, {
    each: true,
    message: `each career stage must be one of ${Object.values(CareerStage).join(', ')}`,
  })
  careerStages?: CareerStage[];

  @ApiPropertyOptional({ enum: Region, isArray: true, description: 'Empty or absent: every region' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsEnum(Region, { each: true, message: `each region must be one of ${Object.values(Region).join(', ')}` })
  regions?: Region[];
}

export class CreateAnnouncementDto {
  @ApiProperty({ maxLength: TITLE_MAX_LENGTH }) @IsString() @Length(1, TITLE_MAX_LENGTH) title: string;

  @ApiProperty({ maxLength: POST_MAX_LENGTH, description: 'Markdown' })
  @IsString()
  @MaxLength(POST_MAX_LENGTH, { message: bodyMessage })
  body: string;

  @ApiPropertyOptional({
    type: AnnouncementAudienceDto,
    description: 'Who is notified; absent or all lists empty: every member. Lists combine with AND.',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AnnouncementAudienceDto)
  audience?: AnnouncementAudienceDto;
}

export class AnnouncementView {
  @ApiProperty({ type: ThreadView, description: 'The announcement thread' }) thread: ThreadView;
  @ApiProperty({ description: 'Members in the audience (the sender excluded), each notified per their settings' })
  audienceSize: number;
}
