import { Logger } from '@nestjs/common';
import { AppConfig, StorageUnavailableError } from '@cophub/core';
import type { FileStorage } from './file-storage';
import { LocalDiskStorage } from './local-disk.storage';
import type { ObjectStoreBase } from './object-store';

/**
 * The object store `STORAGE` names (s3 or azure), or null for local disk. Each store's SDK is loaded only
 * when it is chosen (together they weigh some 15 MB of heap and seconds of start-up).
 */
export async function objectStoreFor(config: AppConfig): Promise<ObjectStoreBase | null> {
  const { storage, storageDir } = config.files;
  if (storage.kind === 's3') {
    const { S3Storage } = await import('./s3.storage');
    return new S3Storage(storage.s3, storageDir, storage.timeoutMs);
  }
  if (storage.kind === 'azure') {
    const { AzureBlobStorage } = await import('./azure-blob.storage');
    return new AzureBlobStorage(storage.azure, storageDir, storage.timeoutMs);
  }
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
  const store = await objectStoreFor(config);
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
