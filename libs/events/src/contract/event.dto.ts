import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { PageQueryDto } from '@cophub/core';
import { EventLocationKind, EventStatus, EventVisibility, RsvpStatus } from '../domain/enums';
import { CareerStage, Profession } from '@cophub/identity';

/**
 * Times must carry their offset (`2025-10-26T10:00:00+00:00` or `...Z`): a bare local time is
 * ambiguous on the night the clocks go back, so it is refused rather than guessed.
 */
export const OFFSET_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const OFFSET_MESSAGE = (field: string) =>
  `${field} must be an ISO 8601 date-time with an offset, e.g. 2025-10-26T10:00:00+00:00`;

export class CreateEventDto {
  @ApiProperty() @IsString() @Length(3, 160) title: string;

  @ApiPropertyOptional({ description: 'Markdown' })
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  description?: string;

  @ApiProperty({ example: '2025-10-26T10:00:00+00:00' })
  @Matches(OFFSET_DATE_TIME, { message: OFFSET_MESSAGE('startsAt') })
  startsAt: string;

  @ApiProperty({ example: '2025-10-26T12:00:00+00:00' })
  @Matches(OFFSET_DATE_TIME, { message: OFFSET_MESSAGE('endsAt') })
  endsAt: string;

  @ApiProperty({ enum: EventLocationKind }) @IsEnum(EventLocationKind) locationKind: EventLocationKind;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Shown only to members who are going' })
  @IsOptional()
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true })
  @MaxLength(500)
  joinUrl?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(300) venue?:
    string | null;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 100000, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(100_000)
  capacity?: number | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(OFFSET_DATE_TIME, { message: OFFSET_MESSAGE('rsvpDeadline') })
  rsvpDeadline?: string | null;

  @ApiPropertyOptional({ enum: EventVisibility, default: EventVisibility.Members })
  @IsOptional()
  @IsEnum(EventVisibility)
  visibility?: EventVisibility;

  @ApiPropertyOptional({ enum: Profession, isArray: true })
  @IsOptional()
  @IsArray()
  @IsEnum(Profession, { each: true })
  audienceProfessions?: Profession[];

  @ApiPropertyOptional({ enum: CareerStage, isArray: true })
  @IsOptional()
  @IsArray()
  @IsEnum(CareerStage, { each: true })
  audienceStages?: CareerStage[];

  @ApiPropertyOptional({ minimum: 0, maximum: 100 })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100)
  cpdHours?: number;

  @ApiPropertyOptional({
    type: [Number],
    description: 'Minutes before the start (5 to 43,200, at most 5); whole days are calendar days',
    example: [1440, 60],
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(0)
  @ArrayMaxSize(5)
  @IsInt({ each: true })
  @Min(5, { each: true })
  @Max(30 * 1440, { each: true })
  reminderOffsets?: number[];
}

export class UpdateEventDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(3, 160) title?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20_000) description?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(OFFSET_DATE_TIME, { message: OFFSET_MESSAGE('startsAt') })
  startsAt?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(OFFSET_DATE_TIME, { message: OFFSET_MESSAGE('endsAt') })
  endsAt?: string;
  @ApiPropertyOptional({ enum: EventLocationKind })
  @IsOptional()
  @IsEnum(EventLocationKind)
  locationKind?: EventLocationKind;
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true })
  @MaxLength(500)
  joinUrl?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(300)
  venue?: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(100_000)
  capacity?: number | null;
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(OFFSET_DATE_TIME, { message: OFFSET_MESSAGE('rsvpDeadline') })
  rsvpDeadline?: string | null;
  @ApiPropertyOptional({ enum: EventVisibility }) @IsOptional() @IsEnum(EventVisibility) visibility?: EventVisibility;
  @ApiPropertyOptional({ enum: Profession, isArray: true })
  @IsOptional()
  @IsArray()
  @IsEnum(Profession, { each: true })
  audienceProfessions?: Profession[];
  @ApiPropertyOptional({ enum: CareerStage, isArray: true })
  @IsOptional()
  @IsArray()
  @IsEnum(CareerStage, { each: true })
  audienceStages?: CareerStage[];
  @ApiPropertyOptional()
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100)
  cpdHours?: number;
  @ApiPropertyOptional({ type: [Number], description: 'Minutes before the start; replaces the reminder times' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @IsInt({ each: true })
  @Min(5, { each: true })
  @Max(30 * 1440, { each: true })
  reminderOffsets?: number[];
}

export class ListEventsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Events ending after this instant (default: now)' })
  @IsOptional()
  @Matches(OFFSET_DATE_TIME, { message: OFFSET_MESSAGE('from') })
  from?: string;

  @ApiPropertyOptional({ description: 'Events starting before this instant' })
  @IsOptional()
  @Matches(OFFSET_DATE_TIME, { message: OFFSET_MESSAGE('to') })
  to?: string;
}

export class CalendarQueryDto {
  @ApiProperty({ example: 2025 }) @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 12 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(12)
  month?: number;
}

export class RsvpDto {
  @ApiProperty({ enum: [RsvpStatus.Going, RsvpStatus.NotGoing] })
  @IsIn([RsvpStatus.Going, RsvpStatus.NotGoing], { message: 'status must be going or not_going' })
  status: RsvpStatus.Going | RsvpStatus.NotGoing;

  @ApiPropertyOptional({ description: 'Email reminders for this event' })
  @IsOptional()
  @IsBoolean()
  reminders?: boolean;
}

export class AttendanceDto {
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  userIds: string[];

  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() attended?: boolean;
}

export class CancelEventDto {
  @ApiPropertyOptional({
    description: 'A message for everyone going or waitlisted, included in the cancellation email',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  message?: string;
}

export class AddToCalendarView {
  @ApiProperty({ description: 'Google Calendar "add event" link' }) google: string;
  @ApiProperty({ description: 'Outlook on the web "add event" link' }) outlook: string;
}

export class CheckInDto {
  @ApiProperty({ example: 'K7M2QX' }) @IsString() @Length(4, 12) code: string;
}

export class MyRsvpView {
  @ApiProperty({ enum: RsvpStatus, nullable: true }) status: RsvpStatus | null;
  @ApiProperty({ type: Number, nullable: true, description: '1-based place in the waiting list' })
  waitlistPlace: number | null;
  @ApiProperty() reminders: boolean;
}

export class EventView {
  @ApiProperty() id: string;
  @ApiProperty() communityId: string;
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiProperty({ description: 'Sanitised HTML' }) descriptionHtml: string;
  @ApiProperty() startsAt: string;
  @ApiProperty() endsAt: string;
  @ApiProperty({ description: 'Europe/London wall-clock time with offset' }) startsAtLocal: string;
  @ApiProperty() endsAtLocal: string;
  @ApiProperty({ example: 'Europe/London' }) timeZone: string;
  @ApiProperty({
    example: 'Tue 27 October 2026, 10:00 GMT to 11:30 GMT',
    description: 'Start and end in UK time with the zone in force at each, as the emails and .ics write them',
  })
  whenText: string;
  @ApiPropertyOptional({ type: AddToCalendarView, description: 'On the single-event read' })
  addToCalendar?: AddToCalendarView;
  @ApiProperty({ enum: EventLocationKind }) locationKind: EventLocationKind;
  @ApiProperty({ type: String, nullable: true, description: 'Only for members going, and co-chairs' }) joinUrl:
    string | null;
  @ApiProperty({ type: String, nullable: true }) venue: string | null;
  @ApiProperty({ type: Number, nullable: true }) capacity: number | null;
  @ApiProperty({ type: String, nullable: true }) rsvpDeadline: string | null;
  @ApiProperty({ enum: EventVisibility }) visibility: EventVisibility;
  @ApiProperty({ type: [String] }) audienceProfessions: string[];
  @ApiProperty({ type: [String] }) audienceStages: string[];
  @ApiProperty() cpdHours: number;
  @ApiProperty({ type: [Number] }) reminderOffsets: number[];
  @ApiProperty({ enum: EventStatus }) status: EventStatus;
  @ApiProperty() sequence: number;
  @ApiProperty() goingCount: number;
  @ApiProperty() waitlistCount: number;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Co-chairs only' }) checkInCode?: string | null;
  @ApiPropertyOptional({ type: MyRsvpView }) myRsvp?: MyRsvpView;
  @ApiProperty() updatedAt: string;
}

export class EventPageView {
  @ApiProperty({ type: [EventView] }) items: EventView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class CalendarMonthView {
  @ApiProperty({ minimum: 1, maximum: 12 }) month: number;
  @ApiProperty({ type: [EventView] }) events: EventView[];
}

export class CalendarView {
  @ApiProperty() year: number;
  @ApiProperty({ type: [CalendarMonthView] }) months: CalendarMonthView[];
}

export class AttendeeView {
  @ApiProperty() userId: string;
  @ApiProperty() displayName: string;
  @ApiPropertyOptional({ enum: RsvpStatus }) status?: RsvpStatus;
  @ApiPropertyOptional({ type: Number, nullable: true }) waitlistPosition?: number | null;
  @ApiPropertyOptional({ enum: ['marked', 'check_in'] }) method?: 'marked' | 'check_in';
}

export class AttendeesView {
  @ApiProperty({ type: [AttendeeView] }) going: AttendeeView[];
  @ApiProperty({ type: [AttendeeView] }) waitlist: AttendeeView[];
  @ApiProperty({ type: [AttendeeView] }) attended: AttendeeView[];
}

export class ChangedView {
  @ApiProperty() changed: number;
}

export class CheckedInView {
  @ApiProperty({ enum: [true] }) checkedIn: true;
}

export class FeedUrlView {
  @ApiProperty({ description: 'The private feed URL; keep it secret' }) url: string;
}
