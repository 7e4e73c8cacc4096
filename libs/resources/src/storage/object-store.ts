import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { assertStorageKey, ByteRange, ObjectStore, StagedObject, StoredObjectInfo } from './file-storage';
import { LocalStaging } from './local-staging';

/**
 * What the S3 and Azure Blob adapters share: uploads are staged on local disk (content checks read the
 * staged bytes with random access) and `commit` streams the staged file to the store with a multipart or
 * block upload; `abort` stops an upload in flight, deletes the staged file and deletes whatever reached the
 * store, so an aborted upload leaves no object. Each adapter turns its client's failures into core's
 * `StorageUnavailableError` (503) and a missing object into `StoredObjectMissingError` (404).
 */
export abstract class ObjectStoreBase implements ObjectStore {
  protected readonly logger = new Logger('FileStorage');
  private readonly staging: LocalStaging;
  abstract readonly location: string;

  constructor(stagingRoot: string) {
    this.staging = new LocalStaging(stagingRoot);
  }

  /** Streams a local file to `key`; `signal` stops it, and the adapter then removes any partial upload. */
  protected abstract upload(key: string, path: string, sha256: string | null, signal?: AbortSignal): Promise<void>;
  /** The object's bytes; not-found rejects with `StoredObjectMissingError`. */
  protected abstract open(key: string, range?: ByteRange): Promise<Readable>;
  protected abstract delete(key: string): Promise<void>;
  abstract head(key: string): Promise<StoredObjectInfo | null>;
  abstract list(): AsyncIterable<{ key: string; size: number }>;
  abstract check(): Promise<void>;

  /** Nest calls this as the process stops; an adapter whose client keeps connections open closes them. */
  onModuleDestroy(): void {}

  /** Deletes partial uploads of processes that died mid-upload; returns how many entries were removed. */
  removeAbandonedUploads(): Promise<number> {
    return this.staging.removeAbandonedUploads();
  }

  async stage(): Promise<StagedObject> {
    const key = randomUUID();
    const file = await this.staging.open(key);
    const stop = new AbortController();
    let sending: Promise<void> | null = null;
    return {
      key,
      stagedPath: file.path,
      stream: file.stream,
      commit: async (sha256?: string) => {
        if (!file.stream.writableFinished) throw new Error('staged object committed before its stream finished');
        if (sending) throw new Error('staged object committed twice');
        await file.closed;
        sending = this.upload(key, file.path, sha256 ?? null, stop.signal);
        await sending;
        await file.discard();
      },
      abort: async () => {
        stop.abort();
        await sending?.catch(() => undefined);
        await file.discard();
        // The upload may have completed (or completed as the answer was lost): the object goes too.
        if (sending) {
          await this.delete(key).catch((error: Error) =>
            this.logger.warn(`object ${key} of an aborted upload may be left in ${this.location}: ${error.message}`),
          );
        }
      },
    };
  }

  read(key: string, range?: ByteRange): Promise<Readable> {
    return this.open(assertStorageKey(key), range);
  }

  async size(key: string): Promise<number | null> {
    return (await this.head(assertStorageKey(key)))?.size ?? null;
  }

  remove(key: string): Promise<void> {
    return this.delete(assertStorageKey(key));
  }

  putFile(key: string, path: string, sha256: string): Promise<void> {
    return this.upload(assertStorageKey(key), path, sha256);
  }
}
