import { Injectable } from '@nestjs/common';
import { Sql, SqlPort } from '@cophub/core';
import type { CareerStage, Profession } from '@cophub/identity';
import { ExtractionStatus, VersionKind } from '../domain/version-kinds';
import { RESOURCE_SEARCH } from './resource-search.statements';

/** A resource as the module reads it (without its search text). */
export interface ResourceRow {
  id: string;
  communityId: string;
  title: string;
  description: string;
  descriptionHtml: string;
  tags: string[];
  professions: Profession[];
  careerStages: CareerStage[];
  eventId: string | null;
  currentVersionNo: number;
  createdBy: string;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One version of a resource (without its extracted text). */
export interface VersionRow {
  id: string;
  resourceId: string;
  communityId: string;
  versionNo: number;
  kind: VersionKind;
  storageKey: string | null;
  url: string | null;
  fileName: string;
  mediaType: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  extractionStatus: ExtractionStatus;
  extractionError: string | null;
  uploadedBy: string;
  createdAt: Date;
}

/** What text extraction needs of a version. */
export interface ExtractionRow {
  id: string;
  resourceId: string;
  versionNo: number;
  storageKey: string | null;
  mediaType: string | null;
  sizeBytes: number | null;
  extractionStatus: string;
}

/** A row of the hand-tuned search statement (its column names are the statement's own). */
export interface ResourceSearchRow {
  id: string;
  title: string;
  tags: string[];
  event_id: string | null;
  current_version_no: number;
  created_at: Date;
  rank: number;
  headline: string;
}

export interface ResourceListQuery {
  communityId: string;
  archived: boolean;
  tag?: string;
  eventId?: string;
  /** Keyset: resources strictly before (createdAt, id) in the newest-first order. */
  before?: { createdAt: Date | string; id: string };
  limit: number;
}

export interface NewResource {
  communityId: string;
  title: string;
  description: string;
  descriptionHtml: string;
  tags: string[];
  professions?: Profession[];
  careerStages?: CareerStage[];
  eventId?: string | null;
  createdBy: string;
}

export type NewVersionRow = Pick<VersionRow, 'resourceId' | 'communityId' | 'versionNo' | 'uploadedBy'> &
  (
    | { kind: VersionKind.Link; url: string; fileName: string }
    | {
        kind: VersionKind.File;
        storageKey: string;
        fileName: string;
        mediaType: string;
        sizeBytes: number;
        sha256: string;
        extractionStatus: ExtractionStatus;
      }
  );

/** The columns a resource edit may set, by column name. */
export type ResourceChanges = Partial<{
  title: string;
  description: string;
  description_html: string;
  tags: string[];
  professions: Profession[];
  career_stages: CareerStage[];
  event_id: string | null;
}>;

const RESOURCE_COLUMNS = `r.id, r.community_id AS "communityId", r.title, r.description, r.description_html AS "descriptionHtml",
  r.tags, r.professions, r.career_stages AS "careerStages", r.event_id AS "eventId",
  r.current_version_no AS "currentVersionNo", r.created_by AS "createdBy", r.archived_at AS "archivedAt",
  r.created_at AS "createdAt", r.updated_at AS "updatedAt"`;

const VERSION_COLUMNS = `v.id, v.resource_id AS "resourceId", v.community_id AS "communityId", v.version_no AS "versionNo",
  v.kind, v.storage_key AS "storageKey", v.url, v.file_name AS "fileName", v.media_type AS "mediaType",
  v.size_bytes::float8 AS "sizeBytes", v.sha256, v.extraction_status AS "extractionStatus",
  v.extraction_error AS "extractionError", v.uploaded_by AS "uploadedBy", v.created_at AS "createdAt"`;

/** Every statement on `resources` and `resource_versions`. */
@Injectable()
export class ResourcesRepository {
  constructor(private readonly sql: SqlPort) {}

  /** A resource by id (item routes find the community from it). */
  find(resourceId: string, db: Sql = this.sql): Promise<ResourceRow | null> {
    return db.maybeOne<ResourceRow>(`SELECT ${RESOURCE_COLUMNS} FROM resources r WHERE r.id = $1`, [resourceId]);
  }

  /** A resource's versions, newest first. */
  versions(communityId: string, resourceId: string, db: Sql = this.sql): Promise<VersionRow[]> {
    return db.rows<VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM resource_versions v
        WHERE v.resource_id = $1 AND v.community_id = $2 ORDER BY v.version_no DESC`,
      [resourceId, communityId],
    );
  }

  version(communityId: string, resourceId: string, versionNo: number): Promise<VersionRow | null> {
    return this.sql.maybeOne<VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM resource_versions v
        WHERE v.resource_id = $1 AND v.version_no = $2 AND v.community_id = $3`,
      [resourceId, versionNo, communityId],
    );
  }

  /** One page of a community's library, newest first; `limit` rows at most. */
  list(query: ResourceListQuery): Promise<ResourceRow[]> {
    const params: unknown[] = [query.communityId, query.limit];
    const where = ['r.community_id = $1', query.archived ? 'r.archived_at IS NOT NULL' : 'r.archived_at IS NULL'];
    if (query.tag) {
      params.push(query.tag);
      where.push(`r.tags @> ARRAY[$${params.length}]::text[]`);
    }
    if (query.eventId) {
      params.push(query.eventId);
      where.push(`r.event_id = $${params.length}`);
    }
    if (query.before) {
      params.push(query.before.createdAt, query.before.id);
      where.push(`(r.created_at, r.id) < ($${params.length - 1}, $${params.length})`);
    }
    return this.sql.rows<ResourceRow>(
      `SELECT ${RESOURCE_COLUMNS} FROM resources r
        WHERE ${where.join(' AND ')}
        ORDER BY r.created_at DESC, r.id DESC
        LIMIT $2`,
      params,
    );
  }

  /** The current version of each of the community's resources given. */
  currentVersions(
    communityId: string,
    resources: Pick<ResourceRow, 'id' | 'currentVersionNo'>[],
  ): Promise<VersionRow[]> {
    if (!resources.length) return Promise.resolve([]);
    return this.sql.rows<VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM resource_versions v
        WHERE v.community_id = $1
          AND (v.resource_id, v.version_no) IN (SELECT * FROM unnest($2::uuid[], $3::int[]))`,
      [communityId, resources.map((r) => r.id), resources.map((r) => r.currentVersionNo)],
    );
  }

  async insert(tx: Sql, resource: NewResource): Promise<string> {
    const row = await tx.one<{ id: string }>(
      `INSERT INTO resources (community_id, title, description, description_html, tags, professions, career_stages,
                              event_id, current_version_no, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9) RETURNING id`,
      [
        resource.communityId,
        resource.title,
        resource.description,
        resource.descriptionHtml,
        resource.tags,
        resource.professions ?? [],
        resource.careerStages ?? [],
        resource.eventId ?? null,
        resource.createdBy,
      ],
    );
    return row.id;
  }

  /**
   * Makes room for the next version of an open resource: its number, or null when the resource is archived
   * or not in the community. The row lock serialises concurrent uploads.
   */
  async nextVersionNo(tx: Sql, communityId: string, resourceId: string): Promise<number | null> {
    const row = await tx.maybeOne<{ currentVersionNo: number }>(
      `UPDATE resources SET current_version_no = current_version_no + 1, body_text = '', updated_at = now()
        WHERE id = $1 AND community_id = $2 AND archived_at IS NULL RETURNING current_version_no AS "currentVersionNo"`,
      [resourceId, communityId],
    );
    return row?.currentVersionNo ?? null;
  }

  async insertVersion(tx: Sql, version: NewVersionRow): Promise<string> {
    if (version.kind === VersionKind.Link) {
      const link = await tx.one<{ id: string }>(
        `INSERT INTO resource_versions (resource_id, community_id, version_no, kind, url, file_name, extraction_status, uploaded_by)
         VALUES ($1, $2, $3, 'link', $4, $5, 'none', $6) RETURNING id`,
        [version.resourceId, version.communityId, version.versionNo, version.url, version.fileName, version.uploadedBy],
      );
      return link.id;
    }
    const row = await tx.one<{ id: string }>(
      `INSERT INTO resource_versions (resource_id, community_id, version_no, kind, storage_key, file_name, media_type,
                                      size_bytes, sha256, extraction_status, uploaded_by)
       VALUES ($1, $2, $3, 'file', $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        version.resourceId,
        version.communityId,
        version.versionNo,
        version.storageKey,
        version.fileName,
        version.mediaType,
        version.sizeBytes,
        version.sha256,
        version.extractionStatus,
        version.uploadedBy,
      ],
    );
    return row.id;
  }

  async update(tx: Sql, communityId: string, resourceId: string, changes: ResourceChanges): Promise<void> {
    const params: unknown[] = [resourceId, communityId];
    const sets = Object.entries(changes)
      .filter(([, value]) => value !== undefined)
      .map(([column, value]) => {
        params.push(value);
        return `${column} = $${params.length}`;
      });
    if (!sets.length) return;
    await tx.exec(
      `UPDATE resources SET ${sets.join(', ')}, updated_at = now() WHERE id = $1 AND community_id = $2`,
      params,
    );
  }

  /** Archives or restores; true when the resource changed state. */
  async setArchived(tx: Sql, communityId: string, resourceId: string, archived: boolean): Promise<boolean> {
    const changed = await tx.count(
      archived
        ? 'UPDATE resources SET archived_at = now(), updated_at = now() WHERE id = $1 AND community_id = $2 AND archived_at IS NULL'
        : 'UPDATE resources SET archived_at = NULL, updated_at = now() WHERE id = $1 AND community_id = $2 AND archived_at IS NOT NULL',
      [resourceId, communityId],
    );
    return changed > 0;
  }

  /** The version of a file just published from storage, if it still waits for its text. */
  async pendingVersionOf(storageKey: string): Promise<string | null> {
    const rows = await this.sql.rows<{ id: string }>(
      `SELECT id FROM resource_versions WHERE storage_key = $1 AND extraction_status = 'pending'`,
      [storageKey],
    );
    return rows[0]?.id ?? null;
  }

  /** Versions still waiting for their text, after `after` in id order. */
  async pendingVersions(after: string, limit: number): Promise<string[]> {
    const rows = await this.sql.rows<{ id: string }>(
      `SELECT id FROM resource_versions WHERE extraction_status = 'pending' AND id > $1 ORDER BY id LIMIT $2`,
      [after, limit],
    );
    return rows.map((row) => row.id);
  }

  forExtraction(versionId: string): Promise<ExtractionRow | null> {
    return this.sql.maybeOne<ExtractionRow>(
      `SELECT id, resource_id AS "resourceId", version_no AS "versionNo", storage_key AS "storageKey",
              media_type AS "mediaType", size_bytes::float8 AS "sizeBytes", extraction_status AS "extractionStatus"
         FROM resource_versions WHERE id = $1`,
      [versionId],
    );
  }

  /** Records an extraction's outcome once (a repeat finds the version no longer pending); true when recorded. */
  async finishExtraction(
    tx: Sql,
    versionId: string,
    outcome: { status: string; text: string | null; error: string | null },
  ): Promise<boolean> {
    const changed = await tx.count(
      `UPDATE resource_versions SET extraction_status = $2, extracted_text = $3, extraction_error = $4
        WHERE id = $1 AND extraction_status = 'pending'`,
      [versionId, outcome.status, outcome.text, outcome.error],
    );
    return changed > 0;
  }

  /** Copies a version's text onto its resource while it is the current one (the trigger rebuilds the document). */
  async setBodyText(tx: Sql, resourceId: string, versionNo: number, text: string): Promise<void> {
    await tx.exec(`UPDATE resources SET body_text = $3 WHERE id = $1 AND current_version_no = $2`, [
      resourceId,
      versionNo,
      text,
    ]);
  }

  /** Deletes resources (their versions and contributors go with them). */
  async deleteMany(resourceIds: string[]): Promise<void> {
    await this.sql.exec('DELETE FROM resources WHERE id = ANY($1::uuid[])', [resourceIds]);
  }

  search(params: readonly unknown[]): Promise<ResourceSearchRow[]> {
    return this.sql.rows<ResourceSearchRow>(RESOURCE_SEARCH, params);
  }

  /** Resources a person added, for their personal data export. */
  addedBy(userId: string): Promise<Record<string, unknown>[]> {
    return this.sql.rows(
      `SELECT r.id, c.slug AS community, r.title, r.description, r.created_at AS "createdAt", r.archived_at AS "archivedAt"
                 FROM resources r JOIN communities c ON c.id = r.community_id WHERE r.created_by = $1 ORDER BY r.created_at`,
      [userId],
    );
  }

  /** Versions a person uploaded, for their personal data export. */
  uploadedBy(userId: string): Promise<Record<string, unknown>[]> {
    return this.sql.rows(
      `SELECT v.resource_id AS "resourceId", v.version_no AS "version", v.kind, v.file_name AS "fileName", v.url,
                      v.media_type AS "mediaType", v.size_bytes::float AS "sizeBytes", v.created_at AS "createdAt"
                 FROM resource_versions v WHERE v.uploaded_by = $1 ORDER BY v.created_at`,
      [userId],
    );
  }
}
