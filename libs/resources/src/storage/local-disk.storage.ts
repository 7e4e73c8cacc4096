import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { ByteRange, FileStorage, StagedObject } from './file-storage';

const KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A staging folder belongs to one process: `<host>.<pid>`, so a restart can tell the dead from the living. */
const OWNER = /^(.+)\.(\d+)$/;
/** Staging folders of other hosts (a shared volume) are removed only when untouched this long. */
const FOREIGN_STALE_MS = 6 * 3_600_000;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Files on local disk under `root`: `tmp/<host>.<pid>/` for uploads in progress, `objects/ab/<uuid>`
 * once accepted. Writing to a temporary file and renaming (same file system, so atomic) means a reader
 * never sees half a file; a crashed upload leaves only a `.part` file in its process's staging folder,
 * which `removeAbandonedUploads` deletes when the next process starts.
 */
export class LocalDiskStorage implements FileStorage {
  private readonly stagingDir: string;

  constructor(readonly root: string) {
    this.stagingDir = join(root, 'tmp', `${hostname()}.${process.pid}`);
  }

  /**
   * Deletes partial uploads left by processes that died mid-upload (SIGKILL, power loss): every
   * staging folder of this host whose process is gone, loose files from older versions, and other
   * hosts' folders untouched for hours. Returns how many entries were removed.
   */
  async removeAbandonedUploads(): Promise<number> {
    const tmp = join(this.root, 'tmp');
    const entries = await readdir(tmp, { withFileTypes: true }).catch(() => []);
    let removed = 0;
    for (const entry of entries) {
      const path = join(tmp, entry.name);
      const owner = entry.isDirectory() ? OWNER.exec(entry.name) : null;
      if (owner && owner[1] === hostname() && processAlive(Number(owner[2]))) continue;
      if (owner && owner[1] !== hostname()) {
        const age = Date.now() - (await stat(path).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
        if (age < FOREIGN_STALE_MS) continue;
      }
      await rm(path, { recursive: true, force: true });
      removed += 1;
    }
    return removed;
  }

  private objectPath(key: string): string {
    // Keys are generated here; checking the shape anyway keeps a bad row from reaching the file system.
    if (!KEY.test(key)) throw new Error('invalid storage key');
    return join(this.root, 'objects', key.slice(0, 2), key);
  }

  async stage(): Promise<StagedObject> {
    const key = randomUUID();
    await mkdir(this.stagingDir, { recursive: true });
    const stagedPath = join(this.stagingDir, `${key}.part`);
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
