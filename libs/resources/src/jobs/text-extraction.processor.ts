import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, JobHandler, JobPayload, SqlPort, StorageUnavailableError } from '@cophub/core';
import { ResourceJob } from './resources.jobs';
import { ExtractionRow, ResourcesRepository } from '../db/resources.repository';
import { extractText } from '../extraction/text-extractor';
import { kindOfMediaType, FILE_KINDS } from '../files/file-kinds';
import { FILE_STORAGE, FileStorage } from '../storage/file-storage';

export type ExtractionOutcome = 'done' | 'failed' | 'none' | 'skipped';

/**
 * Extracts the text of one uploaded version so search can find what is inside it. The job carries
 * only the version id; the row says whether there is still work to do. The text goes onto the
 * version and, if that version is still the current one, onto the resource (whose trigger rebuilds
 * the search document).
 */
@Injectable()
export class TextExtractionService {
  private readonly logger = new Logger('TextExtraction');

  constructor(
    private readonly sql: SqlPort,
    private readonly resources: ResourcesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
  ) {}

  @JobHandler(ResourceJob.ExtractText)
  async handle(payload: JobPayload<typeof ResourceJob.ExtractText>): Promise<ExtractionOutcome> {
    return this.extract(payload.versionId);
  }

  async extract(versionId: string): Promise<ExtractionOutcome> {
    const row = await this.resources.forExtraction(versionId);
    if (!row || row.extractionStatus !== 'pending') return 'skipped';
    const kind = kindOfMediaType(row.mediaType);
    if (!row.storageKey || !kind || !FILE_KINDS[kind].extractable) {
      await this.finish(row, 'none', null, null);
      return 'none';
    }
    let text: string;
    try {
      text = await extractText(await this.readWhole(row.storageKey, Number(row.sizeBytes)), kind);
    } catch (error) {
      // The store is down: the job fails and is retried (the row stays pending for the reconciler).
      if (error instanceof StorageUnavailableError) throw error;
      // A damaged or unusual file is not worth retrying: record why and move on (the file stays downloadable).
      const message = (error as Error).message?.slice(0, 500) || 'extraction failed';
      this.logger.warn(`text extraction of version ${row.id} failed: ${message}`);
      await this.finish(row, 'failed', null, message);
      return 'failed';
    }
    await this.finish(row, 'done', text, null);
    return 'done';
  }

  /**
   * pdf.js and yauzl need the whole file, so the worker (never the API) holds one file in memory per
   * job; files are bounded by UPLOAD_MAX_BYTES.
   */
  private async readWhole(key: string, expected: number): Promise<Buffer> {
    const limit = Math.max(expected, this.config.files.uploadMaxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of await this.storage.read(key)) {
      total += (chunk as Buffer).length;
      if (total > limit) throw new Error('stored file is larger than recorded');
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  private async finish(row: ExtractionRow, status: string, text: string | null, error: string | null): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const recorded = await this.resources.finishExtraction(tx, row.id, { status, text, error });
      if (recorded && text) await this.resources.setBodyText(tx, row.resourceId, row.versionNo, text);
    });
  }
}
