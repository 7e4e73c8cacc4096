import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsEnum, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { AttendanceMethod, CpdActivityKind } from '../domain/enums';
import { CPD_LIMITS, CpdEntry } from '../domain/cpd-entry';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The reflection HCPC and BABCP audits ask for, on any entry of the record. */
export class CpdReflectionDto {
  @ApiPropertyOptional({ maxLength: CPD_LIMITS.learningOutcomes, description: 'What I learned' })
  @IsOptional()
  @IsString()
  @MaxLength(CPD_LIMITS.learningOutcomes)
  learningOutcomes?: string;

  @ApiPropertyOptional({ maxLength: CPD_LIMITS.reflection, description: 'How it changes my practice' })
  @IsOptional()
  @IsString()
  @MaxLength(CPD_LIMITS.reflection)
  reflection?: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'A web address (https:// or http://); null removes it' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(CPD_LIMITS.evidenceUrl)
  evidenceUrl?: string | null;
}

export class CreateCpdActivityDto extends CpdReflectionDto {
  @ApiProperty({ enum: CpdActivityKind }) @IsEnum(CpdActivityKind) kind: CpdActivityKind;

  @ApiProperty({ maxLength: CPD_LIMITS.activity, description: 'What it was, e.g. "Motivational interviewing course"' })
  @IsString()
  @MaxLength(CPD_LIMITS.activity)
  activity: string;

  @ApiProperty({ example: '2026-10-14', description: 'The UK calendar day, YYYY-MM-DD; not in the future' })
  @Matches(DAY, { message: 'date must be a day written YYYY-MM-DD' })
  date: string;

  @ApiProperty({ minimum: 0, exclusiveMinimum: true, maximum: 100, description: 'CPD hours, more than 0, at most two decimal places' })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0.01)
  @Max(100)
  hours: number;
}

export class UpdateCpdActivityDto extends PartialType(CreateCpdActivityDto) {}

export class CpdEntryView {
  @ApiProperty({ description: "The event's id for an attended CoP event, the entry's own id otherwise" }) id: string;
  @ApiProperty({ enum: ['event', 'own'] }) source: 'event' | 'own';
  @ApiProperty({ enum: ['event', ...Object.values(CpdActivityKind)] }) kind: 'event' | CpdActivityKind;
  @ApiProperty({ type: String, nullable: true }) eventId: string | null;
  @ApiProperty({ type: String, nullable: true }) communityName: string | null;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'UK calendar day, YYYY-MM-DD' }) date: string;
  @ApiProperty({ type: String, nullable: true }) startsAt: string | null;
  @ApiProperty({ type: String, nullable: true }) endsAt: string | null;
  @ApiProperty() cpdHours: number;
  @ApiProperty({ enum: AttendanceMethod, nullable: true }) method: AttendanceMethod | null;
  @ApiProperty() learningOutcomes: string;
  @ApiProperty() reflection: string;
  @ApiProperty({ type: String, nullable: true }) evidenceUrl: string | null;
}

export class CpdRecordView {
  @ApiProperty() totalHours: number;
  @ApiProperty({ type: [CpdEntryView] }) entries: CpdEntryView[];
}

export function toCpdEntryView(entry: CpdEntry): CpdEntryView {
  return { ...entry, startsAt: entry.startsAt?.toISOString() ?? null, endsAt: entry.endsAt?.toISOString() ?? null };
}
