import busboy from 'busboy';
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Readable, Transform, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { inputProblem, isStorageFull } from '@cophub/core';
import { ResourceError, ResourceErrorCode } from '../errors/resource.error';
import type { FileStorage, StagedObject } from '../storage/file-storage';
import { DEFAULT_ZIP_LIMITS, inspectFile, MAGIC_BYTES, MagicKind, sniffMagic, ZipLimits } from './content-inspector';
import { checkFileName } from './file-name';
import { FILE_KINDS, FileKind } from './file-kinds';

/** A file that passed every check and sits staged in storage, waiting for `commit` or `abort`. */
export interface AcceptedFile {
  staged: StagedObject;
  fileName: string;
  kind: FileKind;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
}

export interface ReceivedUpload {
  fields: Record<string, string[]>;
  file: AcceptedFile | null;
}

const MULTIPART_OVERHEAD = 64 * 1024;

/** Hashes and counts the bytes as they pass, and stops at once when the first ones are not an accepted type. */
class FileMeter extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  magic: MagicKind | null = null;
  private head: Buffer = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    if (!this.magic) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, MAGIC_BYTES)]).subarray(0, MAGIC_BYTES);
      if (this.head.length >= MAGIC_BYTES) {
        this.magic = sniffMagic(this.head);
        if (!this.magic) return callback(unsupportedContent());
      }
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (!this.magic && this.head.length) {
      this.magic = sniffMagic(this.head);
      if (!this.magic) return callback(unsupportedContent());
    }
    callback();
  }
}

function unsupportedContent(): ResourceError {
  const accepted = Object.values(FILE_KINDS)
    .map((k) => k.label)
    .join(', ');
  return new ResourceError(
    ResourceErrorCode.UnsupportedType,
    `This type of file is not accepted (accepted: ${accepted})`,
  );
}

const tooLarge = (max: number) =>
  new ResourceError(ResourceErrorCode.TooLarge, `Files may be at most ${Math.floor(max / (1024 * 1024)) || 1} MB`);
const badUpload = (message: string) => new ResourceError(ResourceErrorCode.BadUpload, message);

/**
 * Reads a multipart upload: text fields, and at most one file (part name `file`) streamed to
 * staging storage while it is hashed and counted. The file is checked by content before this
 * resolves; on any refusal the staged bytes are deleted and the rest of the request is discarded,
 * so a refused upload leaves nothing behind.
 */
export async function receiveUpload(
  request: IncomingMessage,
  storage: FileStorage,
  maxBytes: number,
  zipLimits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<ReceivedUpload> {
  const contentType = request.headers['content-type'] ?? '';
  if (!/^multipart\/form-data/i.test(contentType)) throw badUpload('Send the file as multipart/form-data');
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes + MULTIPART_OVERHEAD) throw tooLarge(maxBytes);

  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: request.headers,
      defParamCharset: 'utf8',
      // Keep the name as sent so a path in it is refused rather than silently cut off.
      preservePath: true,
      limits: { files: 1, fileSize: maxBytes, fields: 30, fieldSize: 64 * 1024, parts: 40, headerPairs: 20 },
    });
  } catch {
    throw badUpload('The multipart request is malformed');
  }

  const fields: Record<string, string[]> = {};
  let filePromise: Promise<AcceptedFile> | null = null;
  let failure: Error | null = null;
  let fileStream: Readable | null = null;
  let done: () => void = () => undefined;

  // On the first refusal: stop parsing, discard the rest of the body, and cut off a file still
  // streaming (its pipeline then fails and deletes what was staged).
  const fail = (error: Error) => {
    failure ??= error;
    request.unpipe(parser);
    request.resume();
    if (fileStream && !fileStream.readableEnded) fileStream.destroy();
    done();
  };

  const finished = new Promise<void>((resolve) => {
    done = resolve;
    parser.on('field', (name, value, info) => {
      if (info.nameTruncated || info.valueTruncated) return fail(badUpload(`Field ${name} is too long`));
      // The same request-wide refusal as JSON bodies get (control characters), before the file is read.
      const problem = inputProblem({ [name]: value }, 'the form');
      if (problem) return fail(badUpload(problem));
      (fields[name] ??= []).push(value);
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || filePromise) {
        stream.resume();
        return fail(badUpload('Send exactly one file, in a part named "file"'));
      }
      fileStream = stream;
      filePromise = receiveFile(stream, info.filename, storage, maxBytes, zipLimits);
      filePromise.catch((error: Error) => fail(error));
    });
    parser.on('filesLimit', () => fail(badUpload('Send exactly one file')));
    parser.on('fieldsLimit', () => fail(badUpload('Too many fields')));
    parser.on('partsLimit', () => fail(badUpload('Too many parts')));
    // busboy refuses part headers with raw control characters (a NUL in a file name) here.
    parser.on('error', () =>
      fail(badUpload('The multipart request is malformed (control characters in a header?) or was cut short')),
    );
    parser.on('close', () => resolve());
    request.on('aborted', () => fail(badUpload('The upload was cut short')));
    request.pipe(parser);
  });

  await finished;
  const file = filePromise ? await (filePromise as Promise<AcceptedFile>).catch(() => null) : null;
  if (failure) {
    await file?.staged.abort();
    throw failure;
  }
  return { fields, file };
}

/**
 * One file from any stream (an upload part, an email attachment) to staging storage, checked by
 * content exactly as uploads are. Resolves with the staged file; on refusal nothing is left behind.
 */
export async function receiveFile(
  stream: Readable & { truncated?: boolean },
  rawName: string | undefined,
  storage: FileStorage,
  maxBytes: number,
  zipLimits: ZipLimits,
): Promise<AcceptedFile> {
  try {
    checkFileName(rawName);
  } catch (error) {
    stream.resume();
    throw error;
  }
  let limited = false;
  stream.once('limit', () => {
    limited = true;
  });
  const staged = await storage.stage();
  const meter = new FileMeter();
  try {
    await pipeline(stream, meter, staged.stream);
    if (limited || stream.truncated) throw tooLarge(maxBytes);
    if (meter.bytes === 0 || !meter.magic) throw badUpload('The file is empty');
    const inspected = await inspectFile(staged.stagedPath, meter.magic, rawName ?? '', zipLimits);
    return {
      staged,
      fileName: inspected.fileName,
      kind: inspected.kind,
      mediaType: FILE_KINDS[inspected.kind].mediaType,
      sizeBytes: meter.bytes,
      sha256: meter.hash.digest('hex'),
    };
  } catch (error) {
    stream.resume();
    await staged.abort();
    if (limited) throw tooLarge(maxBytes);
    if (error instanceof ResourceError) throw error;
    // Our disk is full, not the client's upload broken: the exception filter answers 507 and logs it.
    if (isStorageFull(error)) throw error;
    throw badUpload('The upload was cut short');
  }
}
