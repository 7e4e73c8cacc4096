import { createReadStream } from 'node:fs';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { assertStorageKey, ByteRange, FileStorage, StagedObject, StoredObjectMissingError } from './file-storage';
import { LocalStaging } from './local-staging';

/**
 * Files on local disk under `root`: `tmp/<host>.<pid>/` for uploads in progress, `objects/ab/<uuid>`
 * once accepted. Writing to a temporary file and renaming (same file system, so atomic) means a reader
 * never sees half a file.
 */
export class LocalDiskStorage implements FileStorage {
  private readonly staging: LocalStaging;

  constructor(readonly root: string) {
    this.staging = new LocalStaging(root);
  }

  /** Deletes partial uploads of processes that died mid-upload; returns how many entries were removed. */
  removeAbandonedUploads(): Promise<number> {
    return this.staging.removeAbandonedUploads();
  }

  private objectPath(key: string): string {
    assertStorageKey(key);
    return join(this.root, 'objects', key.slice(0, 2), key);
  }

  async stage(): Promise<StagedObject> {
    const key = randomUUID();
    const file = await this.staging.open(key);
    const finalPath = this.objectPath(key);
    return {
      key,
      stagedPath: file.path,
      stream: file.stream,
      commit: async () => {
        if (!file.stream.writableFinished) throw new Error('staged object committed before its stream finished');
        await file.closed;
        await mkdir(join(finalPath, '..'), { recursive: true });
        await rename(file.path, finalPath);
      },
      abort: () => file.discard(),
    };
  }

  /** Resolves once the file is open, so a missing one is a refusal before any header is sent. */
  async read(key: string, range?: ByteRange): Promise<Readable> {
    const stream = createReadStream(this.objectPath(key), range ? { start: range.start, end: range.end } : {});
    return new Promise((resolve, reject) => {
      stream.once('ready', () => resolve(stream));
      stream.once('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'ENOENT' ? new StoredObjectMissingError(key) : error),
      );
    });
  }

  async size(key: string): Promise<number | null> {
    try {
      return (await stat(this.objectPath(key))).size;
    } catch {
      return null;
    }
  }

  async remove(key: string): Promise<void> {
    await unlink(this.objectPath(key)).catch(() => undefined);
  }

  /** Where a committed object lives (tests, the bench and the move to an object store read it here). */
  pathOf(key: string): string {
    return this.objectPath(key);
  }
}
