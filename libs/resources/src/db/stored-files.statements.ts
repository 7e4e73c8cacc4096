import type { Sql } from '@cophub/core';
import type { ReferencedFile } from '../storage/storage-migration';

/**
 * Stored files of resource versions in storage-key order after `after`, a page at a time: what the move
 * from local disk to an object store copies (`npm run storage:migrate`).
 */
export function fileVersionsAfter(sql: Sql, after: string, limit: number): Promise<ReferencedFile[]> {
  return sql.rows<ReferencedFile>(
    `SELECT storage_key AS key, size_bytes::float8 AS "sizeBytes", sha256
       FROM resource_versions
      WHERE storage_key IS NOT NULL AND storage_key > $1
      ORDER BY storage_key
      LIMIT $2`,
    [after, limit],
  );
}
