import type { Readable, Writable } from 'node:stream';

export const FILE_STORAGE = Symbol('FILE_STORAGE');

/** An object being written: bytes go to a staging place until `commit`, and vanish on `abort`. */
export interface StagedObject {
  /** Storage key the object will have once committed: a random uuid, never derived from user input. */
  readonly key: string;
  /** Where the staged bytes can be read back for inspection (content sniffing needs random access). */
  readonly stagedPath: string;
  readonly stream: Writable;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
}

/**
 * Where uploaded files live. Everything is streamed: no method takes or returns a whole file in
 * memory. The local-disk adapter is the default; an object-store adapter would implement the same.
 */
export interface FileStorage {
  stage(): Promise<StagedObject>;
  read(key: string, range?: ByteRange): Readable;
  size(key: string): Promise<number | null>;
  remove(key: string): Promise<void>;
}
