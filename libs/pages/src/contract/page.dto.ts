import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, Matches, MaxLength, Min, MinLength } from 'class-validator';
import { PageVisibility } from '../db/community-page.entity';

export class CreatePageDto {
  @ApiProperty({ example: 'terms-of-reference', description: 'Lower-case words joined by hyphens' })
  @IsString()
  @MaxLength(80)
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'slug must be lower-case words joined by hyphens' })
  slug: string;

  @ApiProperty({ example: 'Terms of Reference' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiProperty({ description: 'Markdown' })
  @IsString()
  @MaxLength(100_000)
  body: string;

  @ApiPropertyOptional({ enum: PageVisibility, default: PageVisibility.Members })
  @IsOptional()
  @IsEnum(PageVisibility)
  visibility?: PageVisibility;
}

export class UpdatePageDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) title?: string;

  @ApiPropertyOptional({ description: 'Markdown' }) @IsOptional() @IsString() @MaxLength(100_000) body?: string;

  @ApiPropertyOptional({ enum: PageVisibility }) @IsOptional() @IsEnum(PageVisibility) visibility?: PageVisibility;

  @ApiProperty({ description: 'The revision the edit started from; a newer one saved meanwhile answers 409' })
  @IsInt()
  @Min(1)
  baseRevision: number;

  @ApiPropertyOptional({ description: 'What changed, for the history' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  note?: string;
}

export class DiffQueryDto {
  @ApiProperty() @Type(() => Number) @IsInt() @Min(1) from: number;
  @ApiProperty() @Type(() => Number) @IsInt() @Min(1) to: number;
}

export class PageSummaryView {
  @ApiProperty() id: string;
  @ApiProperty() slug: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: PageVisibility }) visibility: PageVisibility;
  @ApiProperty() revision: number;
  @ApiProperty() updatedAt: string;
}

export class PageView extends PageSummaryView {
  @ApiProperty({ description: 'Markdown as written (for editing)' }) body: string;
  @ApiProperty({ description: 'Sanitised HTML' }) bodyHtml: string;
  @ApiProperty({ description: 'Whether the caller may edit it (co-chairs)' }) canEdit: boolean;
}

export class PageListView {
  @ApiProperty({ type: [PageSummaryView] }) items: PageSummaryView[];
  @ApiProperty({ description: 'Whether the caller may add pages (co-chairs)' }) canEdit: boolean;
}

export class PageRevisionView {
  @ApiProperty() revision: number;
  @ApiProperty({ type: String, nullable: true, description: 'Null when withheld (see redacted)' })
  title: string | null;
  @ApiProperty({ enum: PageVisibility, description: 'The visibility the page had when this revision was saved' })
  visibility: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Null once the editor closed their account, or when withheld',
  })
  editorName: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Null when withheld' }) note: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({
    description:
      'True for a members-only revision shown to someone who is not a member: its title, author and note are withheld',
  })
  redacted: boolean;
}

export class DiffLineView {
  @ApiProperty({ enum: ['same', 'added', 'removed'] }) kind: 'same' | 'added' | 'removed';
  @ApiProperty() text: string;
}

export class PageDiffView {
  @ApiProperty() from: number;
  @ApiProperty() to: number;
  @ApiProperty() titleBefore: string;
  @ApiProperty() titleAfter: string;
  @ApiProperty({ type: [DiffLineView] }) lines: DiffLineView[];
}
