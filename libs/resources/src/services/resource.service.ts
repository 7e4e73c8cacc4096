import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { IncomingMessage } from 'node:http';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@cophub/audit';
import {
  APP_CONFIG,
  AppConfig,
  decodeCursor,
  JobName,
  Page,
  queryRows,
  QueueService,
  renderMarkdown,
  runQuery,
  toPage,
} from '@cophub/core';
import { AuthUser, CommunityContext } from '@cophub/identity';
import { ExtractionStatus, ResourceVersion, VersionKind } from '../entities/resource-version.entity';
import { Resource } from '../entities/resource.entity';
import { ResourceError, ResourceErrorCode } from '../errors/resource.error';
import { FILE_KINDS } from '../files/file-kinds';
import { AcceptedFile, receiveUpload } from '../files/upload-receiver';
import { ResourcePolicy } from '../policies/resource.policy';
import { FILE_STORAGE, FileStorage } from '../storage/file-storage';
import { CreateResourceInput, ResourceDetailsInput, VersionInput } from './resource.inputs';
import { validateFields } from './validate-fields';

export interface ResourceWithVersions {
  resource: Resource;
  versions: ResourceVersion[];
  canContribute: boolean;
  /** The owning community's slug, for links back into it. */
  communitySlug: string;
}

export interface ResourceListFilters {
  tag?: string;
  eventId?: string;
  archived?: boolean;
}

/** BullMQ job ids may not contain ':'; one extraction per version. */
export const extractionJobId = (versionId: string) => `resources.extract-${versionId}`;

/** A checked file already committed to storage (e.g. an emailed attachment waiting for review). */
export type StoredFile = Pick<AcceptedFile, 'fileName' | 'kind' | 'mediaType' | 'sizeBytes' | 'sha256'> & {
  staged: { key: string };
};

type NewVersion =
  { kind: VersionKind.File; file: AcceptedFile } | { kind: VersionKind.Link; url: string; name: string };
type InsertedVersion = { kind: VersionKind.File; file: StoredFile } | Exclude<NewVersion, { kind: VersionKind.File }>;

/**
 * The resource library: uploads (checked and staged before any row exists), versions, edits,
 * archiving, contributor grants. Files are committed to storage first and rows second; if the rows
 * fail, the file is removed, so neither can exist without the other for long.
 */
@Injectable()
export class ResourceService {
  private readonly logger = new Logger('ResourceService');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    private readonly policy: ResourcePolicy,
    private readonly queues: QueueService,
    private readonly audit: AuditService,
  ) {}

  /** `POST /communities/:slug/resources`: authorisation is checked before a byte of the body is read. */
  async create(context: CommunityContext, request: IncomingMessage): Promise<ResourceWithVersions> {
    await this.policy.assertContributor(context);
    const upload = await receiveUpload(request, this.storage, this.config.files.uploadMaxBytes);
    try {
      const input = await validateFields(CreateResourceInput, upload.fields);
      const version = this.versionFrom(upload.file, input);
      // The answer is read inside the transaction, before COMMIT: a read after the commit could fail
      // and report a stored resource as an error (and a retry would store a second one).
      return await this.withStoredFile(version, async (manager) => {
        const inserted = await this.insertResource(manager, context, input, version);
        return { answer: await this.get(inserted.resourceId, context, manager), versionId: inserted.versionId };
      });
    } catch (error) {
      await upload.file?.staged.abort();
      throw error;
    }
  }

  /** `POST /resources/:id/versions`: the new version becomes current; old ones stay downloadable. */
  async addVersion(user: AuthUser, resourceId: string, request: IncomingMessage): Promise<ResourceWithVersions> {
    const resource = await this.find(resourceId);
    const context = await this.policy.contributorContext(user, resource.communityId);
    if (resource.archivedAt)
      throw new ResourceError(ResourceErrorCode.Archived, 'Restore the resource before adding a version');
    const upload = await receiveUpload(request, this.storage, this.config.files.uploadMaxBytes);
    try {
      const input = await validateFields(VersionInput, upload.fields);
      const version = this.versionFrom(upload.file, input);
      return await this.withStoredFile(version, async (manager) => {
        // The row lock taken by this update serialises concurrent uploads; the unique key on
        // (resource_id, version_no) would refuse a duplicate number regardless.
        const rows = await queryRows<{ current_version_no: number }>(
          manager,
          `UPDATE resources SET current_version_no = current_version_no + 1, body_text = '', updated_at = now()
            WHERE id = $1 AND archived_at IS NULL RETURNING current_version_no`,
          [resourceId],
        );
        if (!rows.length)
          throw new ResourceError(ResourceErrorCode.Archived, 'Restore the resource before adding a version');
        const versionId = await this.insertVersion(
          manager,
          resource.id,
          resource.communityId,
          rows[0].current_version_no,
          user.id,
          version,
        );
        return { answer: await this.get(resourceId, context, manager), versionId };
      });
    } catch (error) {
      await upload.file?.staged.abort();
      throw error;
    }
  }

  private versionFrom(file: AcceptedFile | null, input: { url?: string; linkName?: string }): NewVersion {
    if (file && input.url) throw new ResourceError(ResourceErrorCode.BadUpload, 'Send a file or a link, not both');
    if (file) return { kind: VersionKind.File, file };
    if (input.url) {
      return { kind: VersionKind.Link, url: input.url, name: input.linkName?.trim() || new URL(input.url).hostname };
    }
    throw new ResourceError(
      ResourceErrorCode.BadUpload,
      'Attach a file (part named "file") or give a link (field "url")',
    );
  }

  /**
   * Commits the staged file, runs the rows' transaction, and removes the file again if the rows fail.
   * After the commit only the extraction job is queued, best-effort: the answer is what the
   * transaction returned.
   */
  private async withStoredFile<T>(
    version: NewVersion,
    work: (manager: EntityManager) => Promise<{ answer: T; versionId: string }>,
  ): Promise<T> {
    const file = version.kind === VersionKind.File ? version.file : null;
    await file?.staged.commit();
    let result: { answer: T; versionId: string };
    try {
      result = await this.dataSource.transaction(work);
    } catch (error) {
      if (file) await this.storage.remove(file.staged.key);
      throw error;
    }
    if (file && FILE_KINDS[file.kind].extractable) await this.enqueueExtraction(result.versionId);
    return result.answer;
  }

  private async enqueueExtraction(versionId: string): Promise<void> {
    await this.queues
      .add(JobName.ExtractResourceText, { versionId }, { jobId: extractionJobId(versionId) })
      // Redis down: the row stays pending and the worker's reconciler queues it when it starts.
      .catch((error: Error) => this.logger.warn(`could not queue text extraction: ${error.message}`));
  }

  private async enqueueExtractionOf(storageKey: string): Promise<void> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM resource_versions WHERE storage_key = $1 AND extraction_status = 'pending'`,
      [storageKey],
    );
    if (rows.length) await this.enqueueExtraction(rows[0].id);
  }

  private async insertResource(
    manager: EntityManager,
    context: CommunityContext,
    input: CreateResourceInput,
    version: NewVersion,
  ): Promise<{ resourceId: string; versionId: string }> {
    const description = input.description ?? '';
    if (input.eventId) await assertEventInCommunity(manager, input.eventId, context.community.id);
    const [row] = (await manager.query(
      `INSERT INTO resources (community_id, title, description, description_html, tags, professions, career_stages,
                              event_id, current_version_no, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9) RETURNING id`,
      [
        context.community.id,
        input.title,
        description,
        renderMarkdown(description),
        input.tags ?? [],
        input.professions ?? [],
        input.careerStages ?? [],
        input.eventId ?? null,
        context.userId,
      ],
    )) as Array<{ id: string }>;
    const versionId = await this.insertVersion(manager, row.id, context.community.id, 1, context.userId, version);
    return { resourceId: row.id, versionId };
  }

  private async insertVersion(
    manager: EntityManager,
    resourceId: string,
    communityId: string,
    versionNo: number,
    userId: string,
    version: InsertedVersion,
  ): Promise<string> {
    if (version.kind === VersionKind.Link) {
      const [link] = await queryRows<{ id: string }>(
        manager,
        `INSERT INTO resource_versions (resource_id, community_id, version_no, kind, url, file_name, extraction_status, uploaded_by)
         VALUES ($1, $2, $3, 'link', $4, $5, 'none', $6) RETURNING id`,
        [resourceId, communityId, versionNo, version.url, version.name, userId],
      );
      return link.id;
    }
    const { file } = version;
    const [row] = await queryRows<{ id: string }>(
      manager,
      `INSERT INTO resource_versions (resource_id, community_id, version_no, kind, storage_key, file_name, media_type,
                                      size_bytes, sha256, extraction_status, uploaded_by)
       VALUES ($1, $2, $3, 'file', $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        resourceId,
        communityId,
        versionNo,
        file.staged.key,
        file.fileName,
        file.mediaType,
        file.sizeBytes,
        file.sha256,
        FILE_KINDS[file.kind].extractable ? ExtractionStatus.Pending : ExtractionStatus.None,
        userId,
      ],
    );
    return row.id;
  }

  /**
   * Publishes a stored file inside the caller's transaction: a new resource (version 1) or, with
   * `resourceId`, the next version of an existing one in the same community. Used when a co-chair
   * accepts an emailed attachment; call `afterStoredFilePublished` after the commit.
   */
  async insertStoredFile(
    manager: EntityManager,
    target: {
      communityId: string;
      userId: string;
      resourceId?: string;
      details?: { title: string; description?: string; tags?: string[] };
    },
    file: StoredFile,
  ): Promise<string> {
    const version = { kind: VersionKind.File as const, file };
    if (target.resourceId) {
      const [rows] = (await manager.query(
        `UPDATE resources SET current_version_no = current_version_no + 1, body_text = '', updated_at = now()
          WHERE id = $1 AND community_id = $2 AND archived_at IS NULL RETURNING current_version_no`,
        [target.resourceId, target.communityId],
      )) as [Array<{ current_version_no: number }>, number];
      if (!rows.length) {
        throw new ResourceError(ResourceErrorCode.NotFound, 'No open resource with that id in this community');
      }
      await this.insertVersion(
        manager,
        target.resourceId,
        target.communityId,
        rows[0].current_version_no,
        target.userId,
        version,
      );
      return target.resourceId;
    }
    const details = target.details ?? { title: file.fileName };
    const description = details.description ?? '';
    const [row] = (await manager.query(
      `INSERT INTO resources (community_id, title, description, description_html, tags, current_version_no, created_by)
       VALUES ($1, $2, $3, $4, $5, 1, $6) RETURNING id`,
      [target.communityId, details.title, description, renderMarkdown(description), details.tags ?? [], target.userId],
    )) as Array<{ id: string }>;
    await this.insertVersion(manager, row.id, target.communityId, 1, target.userId, version);
    return row.id;
  }

  async afterStoredFilePublished(storageKey: string): Promise<void> {
    await this.enqueueExtractionOf(storageKey);
  }

  /**
   * Queues text extraction for every version still waiting for it. Called after each upload commits
   * and by the worker's reconciler on start; deterministic job ids make repeats harmless.
   */
  async enqueuePendingExtractions(): Promise<number> {
    let after = '00000000-0000-0000-0000-000000000000';
    let total = 0;
    for (;;) {
      const rows: Array<{ id: string }> = await this.dataSource.query(
        `SELECT id FROM resource_versions WHERE extraction_status = 'pending' AND id > $1 ORDER BY id LIMIT 1000`,
        [after],
      );
      if (!rows.length) break;
      await this.queues.addBulk(
        JobName.ExtractResourceText,
        rows.map((row) => ({ payload: { versionId: row.id }, options: { jobId: extractionJobId(row.id) } })),
      );
      total += rows.length;
      after = rows[rows.length - 1].id;
    }
    return total;
  }

  async find(resourceId: string): Promise<Resource> {
    const resource = await this.dataSource.getRepository(Resource).findOne({ where: { id: resourceId } });
    if (!resource) throw new ResourceError(ResourceErrorCode.NotFound, 'Resource not found');
    return resource;
  }

  /**
   * A resource with its versions. With a transaction's `manager`, the changing routes read it before
   * their COMMIT (they require a contributor, so `canContribute` is known).
   */
  async get(resourceId: string, context: CommunityContext, manager?: EntityManager): Promise<ResourceWithVersions> {
    const db = manager ?? this.dataSource.manager;
    const resource = await db.getRepository(Resource).findOne({ where: { id: resourceId } });
    if (!resource) throw new ResourceError(ResourceErrorCode.NotFound, 'Resource not found');
    const versions = await db
      .getRepository(ResourceVersion)
      .find({ where: { resourceId }, order: { versionNo: 'DESC' } });
    return {
      resource,
      versions,
      canContribute: manager ? true : await this.policy.canContribute(context),
      communitySlug: context.community.slug,
    };
  }

  async getForUser(user: AuthUser, resourceId: string): Promise<ResourceWithVersions> {
    const resource = await this.find(resourceId);
    const context = await this.policy.memberContext(user, resource.communityId);
    return this.get(resourceId, context);
  }

  async list(
    context: CommunityContext,
    filters: ResourceListFilters,
    limit: number,
    cursor?: string,
  ): Promise<Page<ResourceWithVersions>> {
    const query = this.dataSource
      .getRepository(Resource)
      .createQueryBuilder('r')
      .where('r.community_id = :communityId', { communityId: context.community.id })
      .andWhere(filters.archived ? 'r.archived_at IS NOT NULL' : 'r.archived_at IS NULL')
      .orderBy('r.created_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .limit(limit + 1);
    if (filters.tag) query.andWhere('r.tags @> ARRAY[:tag]::text[]', { tag: filters.tag.toLowerCase() });
    if (filters.eventId) query.andWhere('r.event_id = :eventId', { eventId: filters.eventId });
    if (cursor) {
      const [createdAt, id] = decodeCursor(cursor, ['date', 'uuid']);
      query.andWhere('(r.created_at, r.id) < (:createdAt, :id)', { createdAt, id });
    }
    const page = toPage(await query.getMany(), limit, (r) => [r.createdAt.toISOString(), r.id]);
    const current = page.items.length
      ? await this.dataSource.getRepository(ResourceVersion).find({
          where: page.items.map((r) => ({ resourceId: r.id, versionNo: r.currentVersionNo })),
        })
      : [];
    const canContribute = await this.policy.canContribute(context);
    return {
      items: page.items.map((resource) => ({
        resource,
        versions: current.filter((v) => v.resourceId === resource.id),
        canContribute,
        communitySlug: context.community.slug,
      })),
      nextCursor: page.nextCursor,
    };
  }

  async update(user: AuthUser, resourceId: string, input: ResourceDetailsInput): Promise<ResourceWithVersions> {
    const resource = await this.find(resourceId);
    const context = await this.policy.contributorContext(user, resource.communityId);
    const sets: string[] = [];
    const params: unknown[] = [resourceId];
    const set = (column: string, value: unknown) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    if (input.title !== undefined) set('title', input.title);
    if (input.description !== undefined) {
      set('description', input.description);
      set('description_html', renderMarkdown(input.description));
    }
    if (input.tags !== undefined) set('tags', input.tags);
    if (input.professions !== undefined) set('professions', input.professions);
    if (input.careerStages !== undefined) set('career_stages', input.careerStages);
    if (input.eventId !== undefined) set('event_id', input.eventId);
    return this.dataSource.transaction(async (manager) => {
      if (input.eventId) await assertEventInCommunity(manager, input.eventId, resource.communityId);
      if (sets.length) {
        await manager.query(`UPDATE resources SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params);
      }
      return this.get(resourceId, context, manager);
    });
  }

  async setArchived(user: AuthUser, resourceId: string, archived: boolean): Promise<ResourceWithVersions> {
    const resource = await this.find(resourceId);
    const context = await this.policy.contributorContext(user, resource.communityId);
    return this.dataSource.transaction(async (manager) => {
      const { count: changed } = await runQuery(
        manager,
        archived
          ? 'UPDATE resources SET archived_at = now(), updated_at = now() WHERE id = $1 AND archived_at IS NULL'
          : 'UPDATE resources SET archived_at = NULL, updated_at = now() WHERE id = $1 AND archived_at IS NOT NULL',
        [resourceId],
      );
      if (changed) {
        await this.audit.record(manager, {
          communityId: resource.communityId,
          actorId: user.id,
          action: archived ? 'resource.archived' : 'resource.restored',
          targetType: 'resource',
          targetId: resourceId,
          data: { title: resource.title },
        });
      }
      return this.get(resourceId, context, manager);
    });
  }

  async version(resourceId: string, versionNo: number): Promise<ResourceVersion> {
    const version = await this.dataSource.getRepository(ResourceVersion).findOne({ where: { resourceId, versionNo } });
    if (!version) throw new ResourceError(ResourceErrorCode.VersionNotFound, 'Version not found');
    return version;
  }

  /** The version to download, after checking the caller is a member of the resource's community. */
  async versionForDownload(
    user: AuthUser,
    resourceId: string,
    versionNo: number | 'current',
  ): Promise<ResourceVersion> {
    const resource = await this.find(resourceId);
    await this.policy.memberContext(user, resource.communityId);
    return this.version(resourceId, versionNo === 'current' ? resource.currentVersionNo : versionNo);
  }

  async listContributors(
    context: CommunityContext,
  ): Promise<Array<{ userId: string; displayName: string; grantedAt: Date }>> {
    const rows: Array<{ user_id: string; display_name: string; created_at: Date }> = await this.dataSource.query(
      `SELECT c.user_id, u.display_name, c.created_at
         FROM resource_contributors c JOIN users u ON u.id = c.user_id
        WHERE c.community_id = $1 ORDER BY c.created_at, c.user_id`,
      [context.community.id],
    );
    return rows.map((r) => ({ userId: r.user_id, displayName: r.display_name, grantedAt: r.created_at }));
  }

  async grantContributor(context: CommunityContext, userId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const rows: unknown[] = await manager.query(
        `INSERT INTO resource_contributors (community_id, user_id, granted_by)
         SELECT $1, $2, $3 WHERE EXISTS (
           SELECT 1 FROM memberships WHERE community_id = $1 AND user_id = $2 AND status = 'approved')
         ON CONFLICT (community_id, user_id) DO NOTHING
         RETURNING user_id`,
        [context.community.id, userId, context.userId],
      );
      if (!rows.length) {
        const member: unknown[] = await manager.query(
          `SELECT 1 FROM memberships WHERE community_id = $1 AND user_id = $2 AND status = 'approved'`,
          [context.community.id, userId],
        );
        if (!member.length) {
          throw new ResourceError(ResourceErrorCode.UserNotMember, 'Only approved members can be made contributors');
        }
        return;
      }
      await this.audit.record(manager, {
        communityId: context.community.id,
        actorId: context.userId,
        action: 'resource.contributor_granted',
        targetType: 'user',
        targetId: userId,
      });
    });
  }

  async revokeContributor(context: CommunityContext, userId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const { count: removed } = await runQuery(
        manager,
        'DELETE FROM resource_contributors WHERE community_id = $1 AND user_id = $2',
        [context.community.id, userId],
      );
      if (removed) {
        await this.audit.record(manager, {
          communityId: context.community.id,
          actorId: context.userId,
          action: 'resource.contributor_revoked',
          targetType: 'user',
          targetId: userId,
        });
      }
    });
  }
}

/** A resource may link only to an event of its own community (agenda, slides, summary notes). */
async function assertEventInCommunity(manager: EntityManager, eventId: string, communityId: string): Promise<void> {
  const rows: unknown[] = await manager.query('SELECT 1 FROM events WHERE id = $1 AND community_id = $2', [
    eventId,
    communityId,
  ]);
  if (!rows.length)
    throw new ResourceError(ResourceErrorCode.EventNotFound, 'eventId is not an event of this community');
}
