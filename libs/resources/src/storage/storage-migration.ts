import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { ObjectStore } from './file-storage';
import type { LocalDiskStorage } from './local-disk.storage';

/** A file a row points at, with what the row says it is. */
export interface ReferencedFile {
  key: string;
  sizeBytes: number;
  sha256: string;
}

/** One page of referenced files after a key (keyset paging), from one table. */
export type ReferencedFilePages = (after: string, limit: number) => Promise<ReferencedFile[]>;

export interface MigrationProblem {
  key: string;
  problem: string;
}

export interface MigrationReport {
  /** Distinct files referenced by rows. */
  referenced: number;
  bytes: number;
  /** Sent to the store by this run. */
  copied: number;
  /** Already in the store with the same size and SHA-256 (an earlier run, or uploaded there). */
  alreadyThere: number;
  /** Objects whose bytes hash to their row's SHA-256 (read back after copying, or recorded by the store). */
  checksumsMatched: number;
  /** Rows whose file is missing or differs, on disk or in the store: the run fails. */
  problems: MigrationProblem[];
}

export interface MigrationOptions {
  /**
   * Read back and hash objects already in the store too, instead of trusting their recorded checksum; a copy
   * that differs is sent again from disk.
   */
  verifyAll?: boolean;
  /** Files copied at once. */
  concurrency?: number;
  log?: (line: string) => void;
}

const PAGE = 500;

async function sha256Of(stream: Readable): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Every distinct referenced file, table after table, each read a page at a time. */
async function* referencedFiles(sources: ReferencedFilePages[]): AsyncIterable<ReferencedFile> {
  const seen = new Set<string>();
  for (const pages of sources) {
    let after = '';
    for (;;) {
      const page = await pages(after, PAGE);
      for (const file of page) {
        // A published emailed attachment and its resource version share one stored file.
        if (seen.has(file.key)) continue;
        seen.add(file.key);
        yield file;
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1].key;
    }
  }
}

/**
 * Copies every file that rows point at from local disk to an object store, resumably and verifiably:
 * an object already there with the row's size and SHA-256 is skipped, so a run can be stopped and started
 * again; each copy is streamed (multipart or block upload) and then read back from the store and hashed.
 * The disk copy is checked against its row before it is sent, so a damaged file is reported, not spread.
 * Nothing is deleted from disk: switch `STORAGE` once a run reports no problems, then remove the folder.
 */
export async function migrateFiles(
  disk: LocalDiskStorage,
  store: ObjectStore,
  sources: ReferencedFilePages[],
  options: MigrationOptions = {},
): Promise<MigrationReport> {
  const log = options.log ?? (() => undefined);
  const report: MigrationReport = {
    referenced: 0,
    bytes: 0,
    copied: 0,
    alreadyThere: 0,
    checksumsMatched: 0,
    problems: [],
  };
  const problem = (key: string, text: string) => {
    report.problems.push({ key, problem: text });
    log(`MISMATCH ${key}: ${text}`);
  };

  /** Reads the store's copy back and hashes it. */
  const storeCopyMatches = async (file: ReferencedFile): Promise<{ matches: boolean; found: string }> => {
    const read = await sha256Of(await store.read(file.key));
    return {
      matches: read.sha256 === file.sha256 && read.bytes === file.sizeBytes,
      found: `${read.bytes} bytes, sha256 ${read.sha256}`,
    };
  };

  const moveOne = async (file: ReferencedFile) => {
    report.referenced += 1;
    report.bytes += file.sizeBytes;
    const there = await store.head(file.key);
    if (there && there.size === file.sizeBytes && (there.sha256 === file.sha256 || there.sha256 === null)) {
      // The recorded checksum is trusted unless told otherwise; an object without one is read back.
      if ((there.sha256 !== null && !options.verifyAll) || (await storeCopyMatches(file)).matches) {
        report.alreadyThere += 1;
        report.checksumsMatched += 1;
        return;
      }
      log(`${file.key}: the store's copy differs from its row; copying it again`);
    }
    const path = disk.pathOf(file.key);
    if (!(await stat(path).catch(() => null))) {
      return problem(file.key, there ? 'differs in the store and is missing on disk' : 'missing on disk');
    }
    const local = await sha256Of(createReadStream(path));
    if (local.sha256 !== file.sha256 || local.bytes !== file.sizeBytes) {
      return problem(file.key, `the disk copy (${local.bytes} bytes, sha256 ${local.sha256}) differs from its row`);
    }
    await store.putFile(file.key, path, file.sha256);
    report.copied += 1;
    const check = await storeCopyMatches(file);
    if (!check.matches)
      return problem(file.key, `the store's copy (${check.found}) differs from its row after copying`);
    report.checksumsMatched += 1;
  };

  // A few files at a time: each one streams, so memory stays flat whatever the sizes.
  const files = referencedFiles(sources)[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<ReferencedFile>> | null = null;
  const next = async (): Promise<ReferencedFile | null> => {
    // One reader of the iterator at a time.
    while (pending) await pending.catch(() => undefined);
    pending = files.next();
    try {
      const result = await pending;
      return result.done ? null : result.value;
    } finally {
      pending = null;
    }
  };
  const worker = async () => {
    for (let file = await next(); file; file = await next()) {
      await moveOne(file);
      const done = report.referenced;
      if (done % 100 === 0) log(`… ${done} files checked, ${report.copied} copied`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  return report;
}
