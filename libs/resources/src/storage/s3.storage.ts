import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { ConfigValidationError, S3Settings, StorageUnavailableError } from '@cophub/core';
import { assertStorageKey, ByteRange, StoredObjectInfo, StoredObjectMissingError } from './file-storage';
import { ObjectStoreBase } from './object-store';

/** Multipart parts: S3's minimum. An upload holds at most PART_SIZE × QUEUE_SIZE bytes in memory. */
const PART_SIZE = 5 * 1024 * 1024;
const QUEUE_SIZE = 2;

interface S3Failure {
  name?: string;
  $metadata?: { httpStatusCode?: number };
}

const statusOf = (error: unknown) => (error as S3Failure)?.$metadata?.httpStatusCode;
const nameOf = (error: unknown) => (error as S3Failure)?.name ?? '';

/** Not found for an object; a missing bucket is a broken setting, not a missing file. */
function objectMissing(error: unknown): boolean {
  if (nameOf(error) === 'NoSuchBucket') return false;
  return nameOf(error) === 'NoSuchKey' || nameOf(error) === 'NotFound' || statusOf(error) === 404;
}

/**
 * Files in an S3-compatible bucket (`STORAGE=s3`): AWS S3, MinIO, Ceph and the like. Objects are named by
 * their storage key and carry their SHA-256 as metadata (`x-amz-meta-sha256`). Every call is bounded by
 * `STORAGE_TIMEOUT_MS` (connecting, and silence on the socket) and tried at most twice.
 */
export class S3Storage extends ObjectStoreBase {
  readonly location: string;
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(settings: S3Settings, stagingRoot: string, timeoutMs: number) {
    super(stagingRoot);
    this.bucket = settings.bucket;
    this.location = `s3://${settings.bucket}${settings.endpoint ? ` at ${settings.endpoint}` : ` (${settings.region})`}`;
    this.client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint ?? undefined,
      forcePathStyle: settings.forcePathStyle,
      credentials:
        settings.accessKeyId && settings.secretAccessKey
          ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey }
          : undefined,
      maxAttempts: 2,
      // Connecting, and then any silence on the socket (before the answer or within a body), is bounded;
      // a transfer that keeps moving is not, however long the file.
      requestHandler: { connectionTimeout: timeoutMs, socketTimeout: timeoutMs },
      // Checksums only where S3 requires them: not every S3-compatible store takes the newer trailing ones.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  private unavailable(operation: string, error: unknown): StorageUnavailableError {
    return new StorageUnavailableError(`${operation} in ${this.location}`, error);
  }

  protected async upload(key: string, path: string, sha256: string | null, signal?: AbortSignal): Promise<void> {
    const body = createReadStream(path);
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: 'application/octet-stream',
        Metadata: sha256 ? { sha256 } : undefined,
      },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      // A failed or aborted multipart upload is aborted in the store, so no parts are left.
      leavePartsOnError: false,
    });
    const onAbort = () => void upload.abort().catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal?.aborted) throw new Error('upload aborted');
      await upload.done();
    } catch (error) {
      throw this.unavailable('upload', error);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      body.destroy();
    }
  }

  protected async open(key: string, range?: ByteRange): Promise<Readable> {
    try {
      const answer = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      );
      return answer.Body as Readable;
    } catch (error) {
      if (objectMissing(error)) throw new StoredObjectMissingError(key);
      throw this.unavailable('read', error);
    }
  }

  async head(key: string): Promise<StoredObjectInfo | null> {
    try {
      const answer = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: assertStorageKey(key) }));
      return { size: answer.ContentLength ?? 0, sha256: answer.Metadata?.sha256 ?? null };
    } catch (error) {
      if (objectMissing(error)) return null;
      throw this.unavailable('head', error);
    }
  }

  protected async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      if (objectMissing(error)) return;
      throw this.unavailable('delete', error);
    }
  }

  async *list(): AsyncIterable<{ key: string; size: number }> {
    let token: string | undefined;
    do {
      let page;
      try {
        page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, ContinuationToken: token }));
      } catch (error) {
        throw this.unavailable('list', error);
      }
      for (const item of page.Contents ?? []) if (item.Key) yield { key: item.Key, size: item.Size ?? 0 };
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      const status = statusOf(error);
      if (status === 404) {
        throw new ConfigValidationError([`S3_BUCKET: the bucket "${this.bucket}" does not exist in ${this.location}`]);
      }
      if (status === 401 || status === 403) {
        throw new ConfigValidationError([
          `S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY: ${this.location} refused them (HTTP ${status})`,
        ]);
      }
      throw this.unavailable('start-up check', error);
    }
  }

  /** Nest calls this as the process stops: the client's kept-alive connections close. */
  override onModuleDestroy(): void {
    this.client.destroy();
  }
}
