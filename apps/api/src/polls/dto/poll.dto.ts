import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEnum,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '@cophub/core';
import { CareerStage, Profession, Region } from '@cophub/identity';
import { PollStatus, QuestionKind, ResultsVisibility } from '@cophub/polls';

export class AudienceDto {
  @ApiPropertyOptional({ enum: Profession, isArray: true, description: 'Empty or absent: every profession' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsEnum(Profession, { each: true, message: `each profession must be one of ${Object.values(Profession).join(', ')}` })
  professions?: Profession[];

  @ApiPropertyOptional({ enum: CareerStage, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsEnum(CareerStage, {
    each: true,
    message: `each career stage must be one of ${Object.values(CareerStage).join(', ')}`,
  })
  careerStages?: CareerStage[];

  @ApiPropertyOptional({ enum: Region, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsEnum(Region, { each: true, message: `each region must be one of ${Object.values(Region).join(', ')}` })
  regions?: Region[];
}

export class QuestionDto {
  @ApiProperty({ enum: QuestionKind })
  @IsEnum(QuestionKind, { message: `kind must be one of ${Object.values(QuestionKind).join(', ')}` })
  kind: QuestionKind;

  @ApiProperty({ example: 'How supported do you feel in your role?' })
  @IsString()
  @Length(1, 500)
  prompt: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  required?: boolean;

  @ApiPropertyOptional({ description: 'Multiple choice only' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(20)
  minChoices?: number;

  @ApiPropertyOptional({ description: 'Multiple choice only' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  maxChoices?: number;

  @ApiPropertyOptional({ type: [String], description: 'Single, multiple and ranked choice: 2–20 options' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  options?: string[];
}

class PollFieldsDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  context?: string;

  @ApiPropertyOptional({ default: true, description: 'Anonymous: nobody can link answers to members' })
  @IsOptional()
  @IsBoolean()
  anonymous?: boolean;

  @ApiPropertyOptional({ default: false, description: 'Named polls only: members may change answers until close' })
  @IsOptional()
  @IsBoolean()
  allowChange?: boolean;

  @ApiPropertyOptional({ enum: ResultsVisibility, default: ResultsVisibility.AfterClose })
  @IsOptional()
  @IsEnum(ResultsVisibility)
  resultsVisibility?: ResultsVisibility;

  @ApiPropertyOptional({ type: AudienceDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AudienceDto)
  audience?: AudienceDto;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Drafts: when the poll is planned to open (ISO 8601); it takes effect when the poll is scheduled',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  opensAt?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'When the poll closes (ISO 8601); null: none' })
  @IsOptional()
  @IsISO8601({ strict: true })
  closesAt?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'When non-respondents get a reminder (ISO 8601); null: none',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  remindAt?: string | null;
}

export class CreatePollDto extends PollFieldsDto {
  @ApiProperty({ example: 'MHWP career progression survey' })
  @IsString()
  @Length(3, 200)
  title: string;

  @ApiProperty({ type: [QuestionDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => QuestionDto)
  questions: QuestionDto[];

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'The poll this one was started from ("start from this poll"): anonymous polls of one lineage are compared by audience before opening',
  })
  @IsOptional()
  @IsUUID('all', { message: 'templateOf must be a poll id' })
  templateOf?: string;
}

export class ElectoratePreviewDto extends AudienceDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The draft being edited: its questions and template are compared with other polls',
  })
  @IsOptional()
  @IsUUID('all', { message: 'pollId must be a poll id' })
  pollId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A new draft started from this poll' })
  @IsOptional()
  @IsUUID('all', { message: 'templateOf must be a poll id' })
  templateOf?: string;

  @ApiPropertyOptional({ type: [String], description: 'Question prompts not saved yet' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 500, { each: true })
  prompts?: string[];

  @ApiPropertyOptional({
    description: 'Whether the poll is anonymous (default true); only anonymous polls are compared',
  })
  @IsOptional()
  @IsBoolean()
  anonymous?: boolean;
}

export class UpdatePollDto extends PollFieldsDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(3, 200)
  title?: string;

  @ApiPropertyOptional({ type: [QuestionDto], description: 'Replaces every question' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => QuestionDto)
  questions?: QuestionDto[];
}

export class ScheduleDto {
  @ApiPropertyOptional({ description: 'When the poll opens (drafts and scheduled polls)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  opensAt?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true })
  closesAt?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true })
  remindAt?: string;
}

export class OpenPollDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true })
  closesAt?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true })
  remindAt?: string;
}

export class AnswerDto {
  @ApiProperty()
  @IsUUID()
  questionId: string;

  @ApiPropertyOptional({ type: [String], description: 'Single or multiple choice' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  optionIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Ranked choice: option ids, most preferred first' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  ranking?: string[];

  @ApiPropertyOptional({ description: 'Likert 1–5 or score 0–10' })
  @IsOptional()
  @IsInt()
  value?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  text?: string;
}

export class SubmitResponseDto {
  @ApiProperty({ type: [AnswerDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => AnswerDto)
  answers: AnswerDto[];
}

export class ListPollsQueryDto extends PageQueryDto {}

export class PollIdParamsDto {
  @IsUUID()
  id: string;
}

export class OptionView {
  @ApiProperty() id: string;
  @ApiProperty() label: string;
}

export class QuestionView {
  @ApiProperty() id: string;
  @ApiProperty() position: number;
  @ApiProperty({ enum: QuestionKind }) kind: QuestionKind;
  @ApiProperty() prompt: string;
  @ApiProperty() required: boolean;
  @ApiProperty() minChoices: number;
  @ApiProperty({ nullable: true, type: Number }) maxChoices: number | null;
  @ApiProperty({ type: [OptionView] }) options: OptionView[];
}

export class AudienceView {
  @ApiProperty({ type: [String] }) professions: string[];
  @ApiProperty({ type: [String] }) careerStages: string[];
  @ApiProperty({ type: [String] }) regions: string[];
}

export class PollSummaryView {
  @ApiProperty() id: string;
  @ApiProperty() communityId: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: PollStatus }) status: PollStatus;
  @ApiProperty() anonymous: boolean;
  @ApiProperty() allowChange: boolean;
  @ApiProperty({ enum: ResultsVisibility }) resultsVisibility: ResultsVisibility;
  @ApiProperty({ type: AudienceView }) audience: AudienceView;
  @ApiProperty({ nullable: true, type: String }) opensAt: string | null;
  @ApiProperty({ nullable: true, type: String }) closesAt: string | null;
  @ApiProperty({ nullable: true, type: String }) remindAt: string | null;
  @ApiProperty({ nullable: true, type: String }) openedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) closedAt: string | null;
  @ApiProperty() electorateSize: number;
  @ApiProperty() createdAt: string;
}

export class MyPollStatusView {
  @ApiProperty() inAudience: boolean;
  @ApiProperty() responded: boolean;
  @ApiProperty() manages: boolean;
}

export class PollTimesTextView {
  @ApiProperty({ nullable: true, type: String, example: 'Tue 27 October 2026, 10:00 GMT' }) opensAt: string | null;
  @ApiProperty({ nullable: true, type: String }) closesAt: string | null;
  @ApiProperty({ nullable: true, type: String }) remindAt: string | null;
}

export class PollRemindersView {
  @ApiProperty({ nullable: true, type: String, description: 'When the scheduled reminder went out' })
  scheduledSentAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'When a co-chair last used "Remind now"' })
  lastSentNowAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'When "Remind now" may be used again; null: now' })
  nextAllowedAt: string | null;
}

export class PollView extends PollSummaryView {
  @ApiProperty() communitySlug: string;
  @ApiProperty() communityName: string;
  @ApiProperty({ type: PollTimesTextView, description: 'The times in UK time with the zone (GMT or BST)' })
  timesText: PollTimesTextView;
  @ApiProperty({ type: PollRemindersView }) reminders: PollRemindersView;
  @ApiProperty() contextSource: string;
  @ApiProperty({ description: 'Sanitised HTML rendered from the Markdown context' }) contextHtml: string;
  @ApiProperty({ type: [QuestionView] }) questions: QuestionView[];
  @ApiProperty() responses: number;
  @ApiProperty({ type: MyPollStatusView }) me: MyPollStatusView;
}

export class PollPageView {
  @ApiProperty({ type: [PollSummaryView] }) items: PollSummaryView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class SubmitResultView {
  @ApiProperty() accepted: boolean;
  @ApiProperty({ description: 'A named poll’s earlier answers were replaced' }) replaced: boolean;
}

export class ElectoratePreviewView {
  @ApiProperty({ description: 'Approved members the audience reaches today' }) members: number;
  @ApiProperty({ description: 'Of those, how many take poll invitations by email' }) emailed: number;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Why this anonymous poll could not open with this audience (another poll sharing questions has an audience differing by fewer than k members), or null',
  })
  overlap: string | null;
}

export class RemindResultView {
  @ApiProperty({ example: 'Reminder sent to members who have not answered.' }) message: string;
  @ApiProperty() sentAt: string;
  @ApiProperty({ description: 'When another reminder may be sent' }) nextAllowedAt: string;
}
