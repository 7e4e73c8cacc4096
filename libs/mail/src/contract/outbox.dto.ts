import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsEnum, IsOptional } from 'class-validator';
import { PageQueryDto } from '@cophub/core';
import type { OutboxRow } from '../db/mail-outbox.repository';
import { MailStatus } from '../domain/mail-status';

export class OutboxQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: MailStatus }) @IsOptional() @IsEnum(MailStatus) status?: MailStatus;
  @ApiPropertyOptional() @IsOptional() @IsEmail() recipient?: string;
}

export class OutboxMessageView {
  @ApiProperty() id: string;
  @ApiProperty() recipient: string;
  @ApiProperty() template: string;
  @ApiProperty({ enum: MailStatus }) status: MailStatus;
  @ApiProperty() attempts: number;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({ type: String, nullable: true }) subject: string | null;
  @ApiProperty({ type: String, nullable: true }) bodyText: string | null;
  @ApiProperty({ type: String, nullable: true }) transport: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sentAt: Date | null;
  @ApiProperty() nextAttemptAt: Date;
}

/** An outbox message as admins list it: without its HTML body (shown only on the message itself). */
export function toOutboxView(row: OutboxRow): OutboxMessageView {
  const { bodyHtml: _html, ...view } = row;
  return view;
}
