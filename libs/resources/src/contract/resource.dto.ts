import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQueryDto } from '@cophub/core';
import { CareerStage, Profession } from '@cophub/identity';
import type { ContributorRow } from '../db/resource-contributors.repository';
import type { ResourceRow, VersionRow } from '../db/resources.repository';
import { ExtractionStatus, VersionKind } from '../domain/version-kinds';
import { ResourceDetailsInput } from './resource.inputs';

/** A resource with its versions, as the service answers it. */
export interface ResourceWithVersions {
  resource: ResourceRow;
  versions: VersionRow[];
  canContribute: boolean;
  /** The owning community's slug, for links back into it. */
  communitySlug: string;
}

export class UpdateResourceDto extends ResourceDetailsInput {}

export class ListResourcesQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) tag?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() eventId?: string;

  @ApiPropertyOptional({ description: 'true: list archived resources instead' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  archived?: boolean;
}

export class VersionView {
  @ApiProperty() versionNo: number;
  @ApiProperty({ enum: VersionKind }) kind: VersionKind;
  @ApiProperty() fileName: string;
  @ApiProperty({ type: String, nullable: true }) mediaType: string | null;
  @ApiProperty({ type: Number, nullable: true }) sizeBytes: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'SHA-256 of the file, hex' }) sha256: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'External link (link versions)' }) url:
    string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'API path to download the file' }) downloadUrl:
    string | null;
  @ApiProperty({ enum: ExtractionStatus }) extractionStatus: ExtractionStatus;
  @ApiProperty() uploadedBy: string;
  @ApiProperty() createdAt: string;
}

export class ResourceView {
  @ApiProperty() id: string;
  @ApiProperty() communityId: string;
  @ApiProperty({ description: "The community's slug, for links into it" }) communitySlug: string;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'Markdown source' }) description: string;
  @ApiProperty({ description: 'Sanitised HTML' }) descriptionHtml: string;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty({ enum: Profession, isArray: true }) professions: Profession[];
  @ApiProperty({ enum: CareerStage, isArray: true }) careerStages: CareerStage[];
  @ApiProperty({ type: String, nullable: true }) eventId: string | null;
  @ApiProperty() currentVersionNo: number;
  @ApiProperty({ type: VersionView, nullable: true }) currentVersion: VersionView | null;
  @ApiProperty({ type: [VersionView], description: 'Newest first (only the current one in lists)' })
  versions: VersionView[];
  @ApiProperty({ type: String, nullable: true }) archivedAt: string | null;
  @ApiProperty() createdBy: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
  @ApiProperty({ description: 'Whether the caller may edit, add versions and archive' }) canContribute: boolean;
}

export class ResourcePageView {
  @ApiProperty({ type: [ResourceView] }) items: ResourceView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class ContributorView {
  @ApiProperty() userId: string;
  @ApiProperty() displayName: string;
  @ApiProperty() grantedAt: string;
}

export function toVersionView(version: VersionRow): VersionView {
  return {
    versionNo: version.versionNo,
    kind: version.kind,
    fileName: version.fileName,
    mediaType: version.mediaType,
    sizeBytes: version.sizeBytes,
    sha256: version.sha256,
    url: version.url,
    downloadUrl:
      version.kind === VersionKind.File
        ? `/api/v1/resources/${version.resourceId}/versions/${version.versionNo}/download`
        : null,
    extractionStatus: version.extractionStatus,
    uploadedBy: version.uploadedBy,
    createdAt: version.createdAt.toISOString(),
  };
}

export function toResourceView({
  resource,
  versions,
  canContribute,
  communitySlug,
}: ResourceWithVersions): ResourceView {
  const current = versions.find((v) => v.versionNo === resource.currentVersionNo) ?? null;
  return {
    id: resource.id,
    communityId: resource.communityId,
    communitySlug,
    title: resource.title,
    description: resource.description,
    descriptionHtml: resource.descriptionHtml,
    tags: resource.tags,
    professions: resource.professions,
    careerStages: resource.careerStages,
    eventId: resource.eventId,
    currentVersionNo: resource.currentVersionNo,
    currentVersion: current ? toVersionView(current) : null,
    versions: versions.map(toVersionView),
    archivedAt: resource.archivedAt?.toISOString() ?? null,
    createdBy: resource.createdBy,
    createdAt: resource.createdAt.toISOString(),
    updatedAt: resource.updatedAt.toISOString(),
    canContribute,
  };
}

export function toContributorView(row: ContributorRow): ContributorView {
  return { ...row, grantedAt: row.grantedAt.toISOString() };
}
