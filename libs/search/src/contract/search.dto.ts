import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDate,
  IsEnum,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { PageQueryDto } from '@cophub/core';
import { Profession } from '@cophub/identity';
import { SEARCH_KINDS as KINDS } from '../domain/search-order';
import type { SearchKind } from '../domain/search.types';

export class SearchQueryDto extends PageQueryDto {
  @ApiProperty({ description: 'Words to find; "quoted phrases", OR and -exclusions work as in web search' })
  @IsString()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @MinLength(1)
  @MaxLength(200)
  q: string;

  @ApiPropertyOptional({ description: `Comma-separated: ${KINDS.join(', ')}` })
  @IsOptional()
  @Transform(({ value }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((k) => k.trim())
          .filter(Boolean)
      : value,
  )
  @IsArray()
  @ArrayMaxSize(5)
  @IsIn(KINDS, { each: true })
  kinds?: SearchKind[];

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) tag?: string;

  @ApiPropertyOptional({ enum: Profession }) @IsOptional() @IsEnum(Profession) profession?: Profession;

  @ApiPropertyOptional({ description: 'ISO date or date-time: from this moment' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({ description: 'ISO date or date-time: before this moment' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;
}

export class SearchHitView {
  @ApiProperty({ enum: KINDS }) kind: SearchKind;
  @ApiProperty() id: string;
  @ApiProperty() rank: number;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'HTML-escaped text; matches wrapped in <mark></mark>, nothing else' }) snippet: string;
  @ApiProperty() url: string;
  @ApiProperty() date: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) meta?: Record<string, unknown>;
}

export class SearchPageView {
  @ApiProperty({ type: [SearchHitView] }) items: SearchHitView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
