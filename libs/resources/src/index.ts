export { Resource } from './db/resource.entity';
export { ResourceVersion } from './db/resource-version.entity';
export { ResourceContributor } from './db/resource-contributor.entity';
export { ResourceError } from './errors/resource.error';
export type { FileKind } from './files/file-kinds';
export { DEFAULT_ZIP_LIMITS } from './files/content-inspector';
export { receiveFile } from './files/upload-receiver';
export type { AcceptedFile } from './files/upload-receiver';
export { FILE_STORAGE } from './storage/file-storage';
export type { FileStorage } from './storage/file-storage';
export { LocalDiskStorage } from './storage/local-disk.storage';
export { objectStoreFor } from './storage/create-file-storage';
export { migrateFiles } from './storage/storage-migration';
export type { ReferencedFile } from './storage/storage-migration';
export { fileVersionsAfter } from './db/stored-files.statements';
export { ResourceService } from './services/resource.service';
export { ResourceContributorService } from './services/resource-contributor.service';
export { ResourceDownloadService } from './services/resource-download.service';
export {
  ContributorView,
  ListResourcesQueryDto,
  ResourcePageView,
  ResourceView,
  toContributorView,
  toResourceView,
  UpdateResourceDto,
} from './contract/resource.dto';
export { ResourcesModule } from './resources.module';
export { ResourcesJobsModule } from './resources.jobs.module';
export { RESOURCE_ENTITIES } from './db/resource.entities';
export { resourcesMigrations } from './db/migrations';
export { RESOURCES_QUEUE, ResourceJob } from './jobs/resources.jobs';
