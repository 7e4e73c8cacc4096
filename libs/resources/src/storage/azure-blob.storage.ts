import { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import { createReadStream } from 'node:fs';
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

  /**
   * A file up to one block is one `Put Blob`; a larger one is staged block by block (two at a time) and
   * committed at once as a block list, so the blob appears whole or not at all (uncommitted blocks of a
   * stopped upload never become a blob, and Azure drops them). Every block request, retries included, has
   * settled when this returns, so the staged file can be deleted then: nothing reads it afterwards.
   */
  protected async upload(key: string, path: string, sha256: string | null, signal?: AbortSignal): Promise<void> {
    const size = (await stat(path)).size;
    const blocks = Math.max(1, Math.ceil(size / BLOCK_SIZE));
    // Each round of blocks gets the timeout.
    const deadline = this.deadline(signal, this.timeoutMs * Math.ceil(blocks / CONCURRENCY));
    const blob = this.container.getBlockBlobClient(key);
    const options = {
      metadata: sha256 ? { sha256 } : undefined,
      blobHTTPHeaders: { blobContentType: 'application/octet-stream' },
      abortSignal: deadline.signal,
    };
    const slice = (start: number, end: number) => () => createReadStream(path, { start, end });
    try {
      if (blocks === 1) {
        await blob.upload(slice(0, Math.max(0, size - 1)), size, options);
        return;
      }
      const ids = Array.from({ length: blocks }, (_, i) =>
        Buffer.from(`block-${String(i).padStart(8, '0')}`).toString('base64'),
      );
      let next = 0;
      let failure: unknown = null;
      const sender = async () => {
        while (failure === null && next < blocks) {
          const i = next++;
          const start = i * BLOCK_SIZE;
          const end = Math.min(size, start + BLOCK_SIZE) - 1;
          try {
            await blob.stageBlock(ids[i], slice(start, end), end - start + 1, { abortSignal: deadline.signal });
          } catch (error) {
            failure ??= error;
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, sender));
      if (failure !== null) throw failure;
      await blob.commitBlockList(ids, options);
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
