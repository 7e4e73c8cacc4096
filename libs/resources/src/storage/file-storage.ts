import type { Readable, Writable } from 'node:stream';

export const FILE_STORAGE = Symbol('FILE_STORAGE');

/** An object being written: bytes go to a staging place until `commit`, and vanish on `abort`. */
export interface StagedObject {
  /** Storage key the object will have once committed: a random uuid, never derived from user input. */
  readonly key: string;
  /** Where the staged bytes can be read back for inspection (content sniffing needs random access). */
  readonly stagedPath: string;
  readonly stream: Writable;
  /**
   * Makes the object permanent once its stream has finished. `sha256` (hex, of the staged bytes) is kept
   * with the object where the store keeps metadata, so a copy can later be checked against its row.
   */
  commit(sha256?: string): Promise<void>;
  /** Deletes the staged bytes and anything already sent to the store; never throws. */
  abort(): Promise<void>;
}

export interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
}

/** A read of an object the store does not have (a row pointing at nothing): answered as 404, never 500. */
export class StoredObjectMissingError extends Error {
  constructor(readonly key: string) {
    super(`stored object ${key} is missing`);
    this.name = 'StoredObjectMissingError';
  }
}

/**
 * Where uploaded files live. Everything is streamed: no method takes or returns a whole file in
 * memory. `STORAGE` chooses the adapter: local disk (the default), an S3-compatible bucket or an Azure
 * Blob container. A store that is down or too slow rejects with core's `StorageUnavailableError` (503).
 */
export interface FileStorage {
  stage(): Promise<StagedObject>;
  /** Opens the object (or one byte range of it); rejects with `StoredObjectMissingError` when there is none. */
  read(key: string, range?: ByteRange): Promise<Readable>;
  /** The object's size in bytes, or null when there is none. */
  size(key: string): Promise<number | null>;
  /** Deletes the object; deleting one that is not there is not an error. */
  remove(key: string): Promise<void>;
}

/** What an object store knows about one object. */
export interface StoredObjectInfo {
  size: number;
  /** The SHA-256 recorded with the object when it was stored, if any. */
  sha256: string | null;
}

/** A bucket or container: `FileStorage` plus what the move from local disk and its checks need. */
export interface ObjectStore extends FileStorage {
  /** Where the objects go, for logs and reports (no credentials). */
  readonly location: string;
  /** Size and recorded checksum of an object, or null when there is none. */
  head(key: string): Promise<StoredObjectInfo | null>;
  /** Streams a local file to the store under `key` (multipart or block upload), recording its SHA-256. */
  putFile(key: string, path: string, sha256: string): Promise<void>;
  /** Every object in the bucket or container. */
  list(): AsyncIterable<{ key: string; size: number }>;
  /**
   * At start-up: throws when the bucket or container does not exist or refuses our credentials (a
   * setting is wrong); a store that is only unreachable is reported as `StorageUnavailableError`.
   */
  check(): Promise<void>;
}

const KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Keys are generated here; checking the shape anyway keeps a bad row from reaching a path or an object name. */
export function assertStorageKey(key: string): string {
  if (!KEY.test(key)) throw new Error('invalid storage key');
  return key;
}
