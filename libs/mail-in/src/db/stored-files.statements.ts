import type { Sql } from '@cophub/core';
import type { ReferencedFile } from '@cophub/resources';

/**
 * Stored files of emailed attachments (kept for review, or published) in storage-key order after `after`,
 * a page at a time: what the move from local disk to an object store copies (`npm run storage:migrate`).
 */
export function attachmentFilesAfter(sql: Sql, after: string, limit: number): Promise<ReferencedFile[]> {
  return sql.rows<ReferencedFile>(
    `SELECT storage_key AS key, size_bytes::float8 AS "sizeBytes", sha256
       FROM mail_submission_attachments
      WHERE storage_key IS NOT NULL AND storage_key > $1
      ORDER BY storage_key
      LIMIT $2`,
    [after, limit],
  );
}
