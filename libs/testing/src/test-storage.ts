import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestStorage {
  /** The directory to point STORAGE_DIR at. */
  dir: string;
  remove: () => void;
}

/** A directory of its own for the files one test file stores (uploads, attachments), removed at the end. */
export function testStorage(): TestStorage {
  const dir = mkdtempSync(join(tmpdir(), 'cophub-files-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
