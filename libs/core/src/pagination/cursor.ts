import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CommonError, CommonErrorCode } from '../errors/domain-error';

export type CursorValue = string | number;

/** Keyset cursors are the last row's sort values, opaque to clients (base64url JSON). */
export function encodeCursor(values: CursorValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** Decodes and checks a cursor against the expected value kinds; anything else is a 400, not a 500. */
export function decodeCursor(
  cursor: string,
  kinds: Array<'string' | 'number' | 'date' | 'uuid' | 'bigint'>,
): CursorValue[] {
  const invalid = () => new CommonError(CommonErrorCode.BadRequest, 'cursor is not valid for this list');
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(values) || values.length !== kinds.length) throw invalid();
  kinds.forEach((kind, i) => {
    const value = values[i];
    const ok =
      kind === 'number'
        ? typeof value === 'number' && Number.isFinite(value)
        : typeof value === 'string' &&
          (kind === 'string' ||
            (kind === 'date' && !Number.isNaN(Date.parse(value))) ||
            (kind === 'bigint' && /^\d{1,19}$/.test(value)) ||
            (kind === 'uuid' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)));
    if (!ok) throw invalid();
  });
  return values as CursorValue[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Takes `limit + 1` rows fetched by a keyset query and returns the page with its next cursor. */
export function toPage<T>(rows: T[], limit: number, cursorOf: (row: T) => CursorValue[]): Page<T> {
  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  return { items, nextCursor: hasMore ? encodeCursor(cursorOf(items[items.length - 1])) : null };
}

export class PageQueryDto {
  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}
