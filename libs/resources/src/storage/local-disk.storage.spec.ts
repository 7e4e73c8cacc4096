import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalDiskStorage } from './local-disk.storage';

/** A pid no process has: above the kernel's pid_max default (4194304 on 64-bit). */
const DEAD_PID = 4_194_999;

describe('partial uploads left by a process that died', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'cophub-storage-'));
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  function part(folder: string, name: string): void {
    mkdirSync(join(root, 'tmp', folder), { recursive: true });
    writeFileSync(join(root, 'tmp', folder, name), 'half a file');
  }

  it("are removed at start, while a live process's uploads in progress are kept", async () => {
    part(`${hostname()}.${DEAD_PID}`, 'killed.part');
    part(`${hostname()}.${process.pid}`, 'in-progress.part');
    writeFileSync(join(root, 'tmp', 'from-an-older-version.part'), 'half');
    part('another-host.123', 'on-a-shared-volume.part');

    const removed = await new LocalDiskStorage(root).removeAbandonedUploads();

    expect(removed).toBe(2);
    expect(readdirSync(join(root, 'tmp')).sort()).toEqual(['another-host.123', `${hostname()}.${process.pid}`].sort());
  });

  it('a new upload stages in its own process folder and leaves nothing there once committed', async () => {
    const storage = new LocalDiskStorage(root);
    const staged = await storage.stage();
    expect(staged.stagedPath).toContain(join('tmp', `${hostname()}.${process.pid}`));
    staged.stream.end('bytes');
    await new Promise((resolve) => staged.stream.once('finish', resolve));
    await staged.commit();
    expect(readdirSync(join(root, 'tmp', `${hostname()}.${process.pid}`))).toEqual([]);
    expect(await storage.size(staged.key)).toBe(5);
  });
});
