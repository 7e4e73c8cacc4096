import { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import { stat } from 'node:fs/promises';
import { PassThrough, Readable } from 'node:stream';
import { AzureBlobSettings, ConfigValidationError, StorageUnavailableError } from '@cophub/core';
import { assertStorageKey, ByteRange, StoredObjectInfo, StoredObjectMissingError } from './file-storage';
import { ObjectStoreBase } from './object-store';

/** Blocks of a block upload; larger files are sent in blocks and committed at once as a block list. */
const BLOCK_SIZE = 4 * 1024 * 1024;
const CONCURRENCY = 2;

interface AzureFailure {
  name?: string;
  statusCode?: number;
  code?: string;
  details?: { errorCode?: string };
}

const statusOf = (error: unknown) => (error as AzureFailure)?.statusCode;
const codeOf = (error: unknown) => (error as AzureFailure)?.details?.errorCode ?? (error as AzureFailure)?.code ?? '';

/** Not found for a blob; a missing container is a broken setting, not a missing file. */
function blobMissing(error: unknown): boolean {
  return statusOf(error) === 404 && codeOf(error) !== 'ContainerNotFound';
}

/**
 * Files in an Azure Blob Storage container (`STORAGE=azure`), or Azurite. Blobs are named by their storage
 * key and carry their SHA-256 as metadata. The SDK's own timeout is only a hint to the server, so each call
 * is bounded here by `STORAGE_TIMEOUT_MS` until the store answers, and a download that goes silent for as
 * long is cut.
 */
export class AzureBlobStorage extends ObjectStoreBase {
  readonly location: string;
  private readonly container: ContainerClient;

  constructor(
    settings: AzureBlobSettings,
    stagingRoot: string,
    private readonly timeoutMs: number,
  ) {
    super(stagingRoot);
    const service = BlobServiceClient.fromConnectionString(settings.connectionString, {
      retryOptions: { maxTries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 1_000 },
    });
    this.container = service.getContainerClient(settings.container);
    this.location = `azure://${service.accountName}/${settings.container}`;
  }

  private unavailable(operation: string, error: unknown): StorageUnavailableError {
    return new StorageUnavailableError(`${operation} in ${this.location}`, error);
  }

  /** A signal that fires after the timeout (or with `outer`); `done` stops the clock once the store has answered. */
  private deadline(outer?: AbortSignal, budgetMs = this.timeoutMs): { signal: AbortSignal; done: () => void } {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${budgetMs} ms`)), budgetMs);
    const onOuter = () => controller.abort(new Error('upload aborted'));
    if (outer?.aborted) onOuter();
    outer?.addEventListener('abort', onOuter, { once: true });
    return {
      signal: controller.signal,
      done: () => {
        clearTimeout(timer);
        outer?.removeEventListener('abort', onOuter);
      },
    };
  }

  protected async upload(key: string, path: string, sha256: string | null, signal?: AbortSignal): Promise<void> {
    // Each block gets the timeout; uncommitted blocks of a stopped upload are never a blob (Azure drops them).
    const blocks = Math.max(1, Math.ceil((await stat(path)).size / BLOCK_SIZE));
    const deadline = this.deadline(signal, this.timeoutMs * Math.ceil(blocks / CONCURRENCY));
    try {
      await this.container.getBlockBlobClient(key).uploadFile(path, {
        blockSize: BLOCK_SIZE,
        maxSingleShotSize: BLOCK_SIZE,
        concurrency: CONCURRENCY,
        metadata: sha256 ? { sha256 } : undefined,
        blobHTTPHeaders: { blobContentType: 'application/octet-stream' },
        abortSignal: deadline.signal,
      });
    } catch (error) {
      throw this.unavailable('upload', error);
    } finally {
      deadline.done();
    }
  }

  protected async open(key: string, range?: ByteRange): Promise<Readable> {
    const deadline = this.deadline();
    let body: NodeJS.ReadableStream | undefined;
    try {
      const answer = await this.container
        .getBlobClient(key)
        .download(range?.start ?? 0, range ? range.end - range.start + 1 : undefined, {
          abortSignal: deadline.signal,
          maxRetryRequests: 2,
        });
      body = answer.readableStreamBody;
    } catch (error) {
      if (blobMissing(error)) throw new StoredObjectMissingError(key);
      throw this.unavailable('read', error);
    } finally {
      deadline.done();
    }
    if (!body) throw this.unavailable('read', new Error('no body in the answer'));
    return this.cutWhenSilent(body as Readable);
  }

  /** A download that stops sending for the timeout ends with an error instead of hanging its client. */
  private cutWhenSilent(source: Readable): Readable {
    const out = new PassThrough();
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const error = this.unavailable('read', new Error(`no data for ${this.timeoutMs} ms`));
        source.destroy(error);
        out.destroy(error);
      }, this.timeoutMs);
    };
    arm();
    source.on('data', arm);
    source.once('error', (error) => {
      clearTimeout(timer);
      out.destroy(error);
    });
    source.once('end', () => clearTimeout(timer));
    out.once('close', () => {
      clearTimeout(timer);
      if (!source.readableEnded) source.destroy();
    });
    source.pipe(out);
    return out;
  }

  async head(key: string): Promise<StoredObjectInfo | null> {
    const deadline = this.deadline();
    try {
      const properties = await this.container
        .getBlobClient(assertStorageKey(key))
        .getProperties({ abortSignal: deadline.signal });
      return { size: properties.contentLength ?? 0, sha256: properties.metadata?.sha256 ?? null };
    } catch (error) {
      if (blobMissing(error)) return null;
      throw this.unavailable('head', error);
    } finally {
      deadline.done();
    }
  }

  protected async delete(key: string): Promise<void> {
    const deadline = this.deadline();
    try {
      await this.container.getBlobClient(key).deleteIfExists({ abortSignal: deadline.signal });
    } catch (error) {
      throw this.unavailable('delete', error);
    } finally {
      deadline.done();
    }
  }

  async *list(): AsyncIterable<{ key: string; size: number }> {
    try {
      for await (const blob of this.container.listBlobsFlat()) {
        yield { key: blob.name, size: blob.properties.contentLength ?? 0 };
      }
    } catch (error) {
      throw this.unavailable('list', error);
    }
  }

  async check(): Promise<void> {
    const deadline = this.deadline();
    let exists: boolean;
    try {
      exists = await this.container.exists({ abortSignal: deadline.signal });
    } catch (error) {
      const status = statusOf(error);
      if (status === 401 || status === 403) {
        throw new ConfigValidationError([
          `AZURE_STORAGE_CONNECTION_STRING: ${this.location} refused its credentials (HTTP ${status})`,
        ]);
      }
      throw this.unavailable('start-up check', error);
    } finally {
      deadline.done();
    }
    if (!exists) {
      throw new ConfigValidationError([`AZURE_STORAGE_CONTAINER: the container does not exist in ${this.location}`]);
    }
  }
}
