import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { ByteRange, FileStorage, StagedObject } from './file-storage';

const KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Files on local disk under `root`: `tmp/` for uploads in progress, `objects/ab/<uuid>` once
 * accepted. Writing to a temporary file and renaming (same file system, so atomic) means a reader
 * never sees half a file and a crashed upload leaves only a `.part` file in `tmp/`.
 */
export class LocalDiskStorage implements FileStorage {
  constructor(readonly root: string) {}

  private objectPath(key: string): string {
    // Keys are generated here; checking the shape anyway keeps a bad row from reaching the file system.
    if (!KEY.test(key)) throw new Error('invalid storage key');
    return join(this.root, 'objects', key.slice(0, 2), key);
  }

  async stage(): Promise<StagedObject> {
    const key = randomUUID();
    const tmpDir = join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const stagedPath = join(tmpDir, `${key}.part`);
    const stream = createWriteStream(stagedPath, { flags: 'wx', mode: 0o600 });
    const closed = new Promise<void>((resolve) => {
      if (stream.closed) resolve();
      else stream.once('close', () => resolve());
    });
    const finalPath = this.objectPath(key);
    return {
      key,
      stagedPath,
      stream,
      commit: async () => {
        if (!stream.writableFinished) throw new Error('staged object committed before its stream finished');
        await closed;
        await mkdir(join(finalPath, '..'), { recursive: true });
        await rename(stagedPath, finalPath);
      },
      abort: async () => {
        if (!stream.destroyed) stream.destroy();
        await closed;
        await unlink(stagedPath).catch(() => undefined);
      },
    };
  }

  read(key: string, range?: ByteRange): Readable {
    return createReadStream(this.objectPath(key), range ? { start: range.start, end: range.end } : {});
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

  /** Where a committed object lives (tests and the bench write large files straight here). */
  pathOf(key: string): string {
    return this.objectPath(key);
  }
}
