import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { AuditService } from '@cophub/audit';
import { EventLookup } from '@cophub/events';
import {
  APP_CONFIG,
  AppConfig,
  decodeCursor,
  Page,
  Queryable,
  QueueService,
  renderMarkdown,
  Sql,
  SqlPort,
  toPage,
} from '@cophub/core';
import { ResourceJob } from '../jobs/resources.jobs';
import { AuthUser, CommunityContext } from '@cophub/identity';
import type { ResourceWithVersions } from '../contract/resource.dto';
import { CreateResourceInput, ResourceDetailsInput, VersionInput } from '../contract/resource.inputs';
import { validateFields } from '../contract/validate-fields';
import { ResourceChanges, ResourceRow, ResourcesRepository, VersionRow } from '../db/resources.repository';
import { ExtractionStatus, VersionKind } from '../domain/version-kinds';
import { ResourceError, ResourceErrorCode } from '../errors/resource.error';
import { FILE_KINDS } from '../files/file-kinds';
import { AcceptedFile, receiveUpload } from '../files/upload-receiver';
import { ResourcePolicy } from '../policies/resource.policy';
import { FILE_STORAGE, FileStorage } from '../storage/file-storage';

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
 * fail, the file is removed, so no row ever points at a missing file.
 */
@Injectable()
export class ResourceService {
  private readonly logger = new Logger('ResourceService');

  constructor(
    private readonly sql: SqlPort,
    private readonly resources: ResourcesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    private readonly policy: ResourcePolicy,
    private readonly queues: QueueService,
    private readonly audit: AuditService,
    private readonly events: EventLookup,
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
      return await this.withStoredFile(version, async (tx) => {
        const inserted = await this.insertResource(tx, context, input, version);
        return { answer: await this.get(inserted.resourceId, context, tx), versionId: inserted.versionId };
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
      return await this.withStoredFile(version, async (tx) => {
        // The row lock taken by this update serialises concurrent uploads; the unique key on
        // (resource_id, version_no) would refuse a duplicate number regardless.
        const versionNo = await this.resources.nextVersionNo(tx, resource.communityId, resourceId);
        if (versionNo === null)
          throw new ResourceError(ResourceErrorCode.Archived, 'Restore the resource before adding a version');
        const versionId = await this.insertVersion(tx, resource.id, resource.communityId, versionNo, user.id, version);
        return { answer: await this.get(resourceId, context, tx), versionId };
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
    work: (tx: Sql) => Promise<{ answer: T; versionId: string }>,
  ): Promise<T> {
    const file = version.kind === VersionKind.File ? version.file : null;
    // A store that is down fails here (503), before any row exists.
    await file?.staged.commit(file.sha256);
    let result: { answer: T; versionId: string };
    try {
      result = await this.sql.transaction((tx) => work(tx));
    } catch (error) {
      // No row points at the object: it goes (and the caller's abort tries again if the store is away now).
      if (file) {
        await this.storage
          .remove(file.staged.key)
          .catch((failure: Error) => this.logger.warn(`could not remove an unused stored file: ${failure.message}`));
      }
      throw error;
    }
    if (file && FILE_KINDS[file.kind].extractable) await this.enqueueExtraction(result.versionId);
    return result.answer;
  }

  private async enqueueExtraction(versionId: string): Promise<void> {
    await this.queues
      .add(ResourceJob.ExtractText, { versionId }, { jobId: extractionJobId(versionId) })
      // Redis down: the row stays pending and the worker's reconciler queues it when it starts.
      .catch((error: Error) => this.logger.warn(`could not queue text extraction: ${error.message}`));
  }

  private async insertResource(
    tx: Sql,
    context: CommunityContext,
    input: CreateResourceInput,
    version: NewVersion,
  ): Promise<{ resourceId: string; versionId: string }> {
    const description = input.description ?? '';
    if (input.eventId) await this.assertEventInCommunity(tx, input.eventId, context.community.id);
    const resourceId = await this.resources.insert(tx, {
      communityId: context.community.id,
      title: input.title,
      description,
      descriptionHtml: renderMarkdown(description),
      tags: input.tags ?? [],
      professions: input.professions ?? [],
      careerStages: input.careerStages ?? [],
      eventId: input.eventId ?? null,
      createdBy: context.userId,
    });
    const versionId = await this.insertVersion(tx, resourceId, context.community.id, 1, context.userId, version);
    return { resourceId, versionId };
  }

  private insertVersion(
    tx: Sql,
    resourceId: string,
    communityId: string,
    versionNo: number,
    userId: string,
    version: InsertedVersion,
  ): Promise<string> {
    const owner = { resourceId, communityId, versionNo, uploadedBy: userId };
    if (version.kind === VersionKind.Link) {
      return this.resources.insertVersion(tx, {
        ...owner,
        kind: VersionKind.Link,
        url: version.url,
        fileName: version.name,
      });
    }
    const { file } = version;
    return this.resources.insertVersion(tx, {
      ...owner,
      kind: VersionKind.File,
      storageKey: file.staged.key,
      fileName: file.fileName,
      mediaType: file.mediaType,
      sizeBytes: file.sizeBytes,
      sha256: file.sha256,
      extractionStatus: FILE_KINDS[file.kind].extractable ? ExtractionStatus.Pending : ExtractionStatus.None,
    });
  }

  /**
   * Publishes a stored file inside the caller's transaction: a new resource (version 1) or, with
   * `resourceId`, the next version of an existing one in the same community. Used when a co-chair
   * accepts an emailed attachment; call `afterStoredFilePublished` after the commit.
   */
  async insertStoredFile(
    db: Queryable,
    target: {
      communityId: string;
      userId: string;
      resourceId?: string;
      details?: { title: string; description?: string; tags?: string[] };
    },
    file: StoredFile,
  ): Promise<string> {
    const tx = Sql.over(db);
    const version = { kind: VersionKind.File as const, file };
    if (target.resourceId) {
      const versionNo = await this.resources.nextVersionNo(tx, target.communityId, target.resourceId);
      if (versionNo === null) {
        throw new ResourceError(ResourceErrorCode.NotFound, 'No open resource with that id in this community');
      }
      await this.insertVersion(tx, target.resourceId, target.communityId, versionNo, target.userId, version);
      return target.resourceId;
    }
    const details = target.details ?? { title: file.fileName };
    const description = details.description ?? '';
    const resourceId = await this.resources.insert(tx, {
      communityId: target.communityId,
      title: details.title,
      description,
      descriptionHtml: renderMarkdown(description),
      tags: details.tags ?? [],
      createdBy: target.userId,
    });
    await this.insertVersion(tx, resourceId, target.communityId, 1, target.userId, version);
    return resourceId;
  }

  /**
   * Takes back resources just made by `insertStoredFile` whose purpose failed (the thread they were shared
   * with was not created): the resources and their versions go; the stored files stay with their owner.
   */
  async withdrawStoredFiles(resourceIds: string[]): Promise<void> {
    await this.resources.deleteMany(resourceIds);
  }

  async afterStoredFilePublished(storageKey: string): Promise<void> {
    const versionId = await this.resources.pendingVersionOf(storageKey);
    if (versionId) await this.enqueueExtraction(versionId);
  }

  /**
   * Queues text extraction for every version still waiting for it. Called after each upload commits
   * and by the worker's reconciler on start; deterministic job ids make repeats harmless.
   */
  async enqueuePendingExtractions(): Promise<number> {
    let after = '00000000-0000-0000-0000-000000000000';
    let total = 0;
    for (;;) {
      const ids = await this.resources.pendingVersions(after, 1000);
      if (!ids.length) break;
      await this.queues.addBulk(
        ResourceJob.ExtractText,
        ids.map((id) => ({ payload: { versionId: id }, options: { jobId: extractionJobId(id) } })),
      );
      total += ids.length;
      after = ids[ids.length - 1];
    }
    return total;
  }

  async find(resourceId: string, tx?: Sql): Promise<ResourceRow> {
    const resource = await this.resources.find(resourceId, tx);
    if (!resource) throw new ResourceError(ResourceErrorCode.NotFound, 'Resource not found');
    return resource;
  }

  /**
   * A resource with its versions. In a transaction `tx`, the changing routes read it before their
   * COMMIT (they require a contributor, so `canContribute` is known).
   */
  async get(resourceId: string, context: CommunityContext, tx?: Sql): Promise<ResourceWithVersions> {
    const resource = await this.find(resourceId, tx);
    const versions = await this.resources.versions(resource.communityId, resourceId, tx);
    return {
      resource,
      versions,
      canContribute: tx ? true : await this.policy.canContribute(context),
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
    const communityId = context.community.id;
    let before: { createdAt: Date | string; id: string } | undefined;
    if (cursor) {
      const [createdAt, id] = decodeCursor(cursor, ['date', 'uuid']);
      before = { createdAt: createdAt as Date | string, id: id as string };
    }
    const rows = await this.resources.list({
      communityId,
      archived: !!filters.archived,
      tag: filters.tag?.toLowerCase(),
      eventId: filters.eventId,
      before,
      limit: limit + 1,
    });
    const page = toPage(rows, limit, (r) => [r.createdAt.toISOString(), r.id]);
    const current = await this.resources.currentVersions(communityId, page.items);
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
    const changes: ResourceChanges = {
      title: input.title,
      description: input.description,
      description_html: input.description !== undefined ? renderMarkdown(input.description) : undefined,
      tags: input.tags,
      professions: input.professions,
      career_stages: input.careerStages,
      event_id: input.eventId,
    };
    return this.sql.transaction(async (tx) => {
      if (input.eventId) await this.assertEventInCommunity(tx, input.eventId, resource.communityId);
      await this.resources.update(tx, resource.communityId, resourceId, changes);
      return this.get(resourceId, context, tx);
    });
  }

  async setArchived(user: AuthUser, resourceId: string, archived: boolean): Promise<ResourceWithVersions> {
    const resource = await this.find(resourceId);
    const context = await this.policy.contributorContext(user, resource.communityId);
    return this.sql.transaction(async (tx, manager) => {
      if (await this.resources.setArchived(tx, resource.communityId, resourceId, archived)) {
        await this.audit.record(manager, {
          communityId: resource.communityId,
          actorId: user.id,
          action: archived ? 'resource.archived' : 'resource.restored',
          targetType: 'resource',
          targetId: resourceId,
          data: { title: resource.title },
        });
      }
      return this.get(resourceId, context, tx);
    });
  }

  /** The version to download, after checking the caller is a member of the resource's community. */
  async versionForDownload(user: AuthUser, resourceId: string, versionNo: number | 'current'): Promise<VersionRow> {
    const resource = await this.find(resourceId);
    await this.policy.memberContext(user, resource.communityId);
    const wanted = versionNo === 'current' ? resource.currentVersionNo : versionNo;
    const version = await this.resources.version(resource.communityId, resourceId, wanted);
    if (!version) throw new ResourceError(ResourceErrorCode.VersionNotFound, 'Version not found');
    return version;
  }

  /** A resource may link only to an event of its own community (agenda, slides, summary notes). */
  private async assertEventInCommunity(tx: Sql, eventId: string, communityId: string): Promise<void> {
    if (!(await this.events.inCommunity(tx, eventId, communityId)))
      throw new ResourceError(ResourceErrorCode.EventNotFound, 'eventId is not an event of this community');
  }
}
