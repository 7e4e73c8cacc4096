import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, JobHandler, JobName, JobPayloads, runQuery } from '@cophub/core';
import { extractText } from '../extraction/text-extractor';
import { kindOfMediaType, FILE_KINDS } from '../files/file-kinds';
import { FILE_STORAGE, FileStorage } from '../storage/file-storage';

export type ExtractionOutcome = 'done' | 'failed' | 'none' | 'skipped';

interface VersionRow {
  id: string;
  resource_id: string;
  version_no: number;
  storage_key: string | null;
  media_type: string | null;
  size_bytes: string | null;
  extraction_status: string;
}

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
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
  ) {}

  @JobHandler(JobName.ExtractResourceText)
  async handle(payload: JobPayloads[JobName.ExtractResourceText]): Promise<ExtractionOutcome> {
    return this.extract(payload.versionId);
  }

  async extract(versionId: string): Promise<ExtractionOutcome> {
    const [row]: VersionRow[] = await this.dataSource.query(
      `SELECT id, resource_id, version_no, storage_key, media_type, size_bytes, extraction_status
         FROM resource_versions WHERE id = $1`,
      [versionId],
    );
    if (!row || row.extraction_status !== 'pending') return 'skipped';
    const kind = kindOfMediaType(row.media_type);
    if (!row.storage_key || !kind || !FILE_KINDS[kind].extractable) {
      await this.finish(row, 'none', null, null);
      return 'none';
    }
    let text: string;
    try {
      text = await extractText(await this.readWhole(row.storage_key, Number(row.size_bytes)), kind);
    } catch (error) {
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
    for await (const chunk of this.storage.read(key)) {
      total += (chunk as Buffer).length;
      if (total > limit) throw new Error('stored file is larger than recorded');
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  private async finish(row: VersionRow, status: string, text: string | null, error: string | null): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const { count: changed } = await runQuery(
        manager,
        `UPDATE resource_versions SET extraction_status = $2, extracted_text = $3, extraction_error = $4
          WHERE id = $1 AND extraction_status = 'pending'`,
        [row.id, status, text, error],
      );
      if (changed && text) {
        await manager.query(`UPDATE resources SET body_text = $3 WHERE id = $1 AND current_version_no = $2`, [
          row.resource_id,
          row.version_no,
          text,
        ]);
      }
    });
  }
}
