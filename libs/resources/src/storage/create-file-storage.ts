import { Logger } from '@nestjs/common';
import { AppConfig, StorageUnavailableError } from '@cophub/core';
import { AzureBlobStorage } from './azure-blob.storage';
import type { FileStorage, ObjectStore } from './file-storage';
import { LocalDiskStorage } from './local-disk.storage';
import { S3Storage } from './s3.storage';

/** The object store `STORAGE` names (s3 or azure), or null for local disk. */
export function objectStoreFor(
  config: AppConfig,
): (ObjectStore & { removeAbandonedUploads(): Promise<number> }) | null {
  const { storage, storageDir } = config.files;
  if (storage.kind === 's3') return new S3Storage(storage.s3, storageDir, storage.timeoutMs);
  if (storage.kind === 'azure') return new AzureBlobStorage(storage.azure, storageDir, storage.timeoutMs);
  return null;
}

/**
 * The adapter `STORAGE` chooses. Partial uploads of a process that died are removed before this one takes
 * any. An object store is checked once: a bucket or container that does not exist, or refuses the
 * credentials, stops start-up with the setting to fix; a store that does not answer is logged, and uploads
 * and downloads answer 503 until it is back.
 */
export async function createFileStorage(config: AppConfig): Promise<FileStorage> {
  const logger = new Logger('FileStorage');
  const store = objectStoreFor(config);
  const storage = store ?? new LocalDiskStorage(config.files.storageDir);
  const removed = await storage.removeAbandonedUploads();
  if (removed) logger.warn(`removed ${removed} abandoned partial upload(s)`);
  if (!store) return storage;
  try {
    await store.check();
    logger.log(`files are stored in ${store.location}`);
  } catch (error) {
    if (!(error instanceof StorageUnavailableError)) throw error;
    logger.warn(`${error.message}; uploads and downloads answer 503 until it answers`);
  }
  return store;
}
