import { createWriteStream, WriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

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

/** One staged file: written through `stream`, readable at `path` once `closed` resolves. */
export interface StagingFile {
  path: string;
  stream: WriteStream;
  closed: Promise<void>;
  /** Stops the write (if still open) and deletes the file. */
  discard(): Promise<void>;
}

/**
 * Uploads in progress, on local disk under `root/tmp/<host>.<pid>/`, whatever the store: content checks
 * read the staged bytes with random access before anything is kept. A crashed upload leaves only a
 * `.part` file in its process's folder, which `removeAbandonedUploads` deletes when the next process starts.
 */
export class LocalStaging {
  readonly dir: string;

  constructor(readonly root: string) {
    this.dir = join(root, 'tmp', `${hostname()}.${process.pid}`);
  }

  async open(key: string): Promise<StagingFile> {
    await mkdir(this.dir, { recursive: true });
    const path = join(this.dir, `${key}.part`);
    const stream = createWriteStream(path, { flags: 'wx', mode: 0o600 });
    const closed = new Promise<void>((resolve) => {
      if (stream.closed) resolve();
      else stream.once('close', () => resolve());
    });
    return {
      path,
      stream,
      closed,
      discard: async () => {
        if (!stream.destroyed) stream.destroy();
        await closed;
        await unlink(path).catch(() => undefined);
      },
    };
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
}
