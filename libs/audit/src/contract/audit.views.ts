import { ApiProperty } from '@nestjs/swagger';
import { PageQueryDto } from '@cophub/core';

/** A community's audit log as co-chairs read it. */
export class AuditEntryView {
  @ApiProperty() id: string;
  @ApiProperty({ type: String, nullable: true }) actorId: string | null;
  @ApiProperty() action: string;
  @ApiProperty() targetType: string;
  @ApiProperty({ type: String, nullable: true }) targetId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: Record<string, unknown>;
  @ApiProperty() createdAt: Date;
}

export class AuditPageView {
  @ApiProperty({ type: [AuditEntryView] }) items: AuditEntryView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class AuditQueryDto extends PageQueryDto {}
