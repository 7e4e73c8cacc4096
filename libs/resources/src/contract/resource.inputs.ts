import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEnum,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { CareerStage, Profession } from '@cophub/identity';

/** Multipart fields arrive as strings; lists may be repeated fields or comma-separated. */
export const toList = ({ value }: { value: unknown }): unknown => {
  if (value === undefined || value === null) return value;
  const items = Array.isArray(value) ? value : [value];
  return items
    .flatMap((item) => (typeof item === 'string' ? item.split(',') : [item]))
    .map((item) => (typeof item === 'string' ? item.trim() : item))
    .filter((item) => item !== '');
};

const toTags = ({ value }: { value: unknown }): unknown => {
  const list = toList({ value });
  return Array.isArray(list) ? [...new Set(list.map((t) => (typeof t === 'string' ? t.toLowerCase() : t)))] : list;
};

export class ResourceDetailsInput {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  title?: string;

  @ApiPropertyOptional({ description: 'Markdown', maxLength: 20000 })
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  description?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'Lower-case words or phrases (letters, digits, spaces, hyphens)',
  })
  @IsOptional()
  @Transform(toTags)
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  @Matches(/^[\p{L}\p{N}][\p{L}\p{N} -]*$/u, {
    each: true,
    message: 'each tag may hold letters, digits, spaces and hyphens',
  })
  tags?: string[];

  @ApiPropertyOptional({ enum: Profession, isArray: true, description: 'Audience hint; empty means everyone' })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @IsEnum(Profession, { each: true })
  professions?: Profession[];

  @ApiPropertyOptional({ enum: CareerStage, isArray: true })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @IsEnum(CareerStage, { each: true })
  careerStages?: CareerStage[];

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Event this belongs to (agenda, slides, notes)',
  })
  @IsOptional()
  @Transform(({ value }) => (value === '' ? null : value))
  @IsUUID()
  eventId?: string | null;
}

export class VersionInput {
  @ApiPropertyOptional({ description: 'An external link instead of a file (https only)' })
  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true, require_tld: true })
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional({ description: 'Display name for a link version', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  linkName?: string;
}

/** Fields of `POST /communities/:slug/resources` (multipart, beside the `file` part). */
export class CreateResourceInput extends ResourceDetailsInput {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  declare title: string;

  @ApiPropertyOptional({ description: 'An external link instead of a file (https only)' })
  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true, require_tld: true })
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  linkName?: string;
}
