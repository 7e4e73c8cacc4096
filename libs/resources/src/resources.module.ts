import { Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@cophub/audit';
import { APP_CONFIG, AppConfig } from '@cophub/core';
import { IdentityModule } from '@cophub/identity';
import { SearchModule } from '@cophub/search';
import { ResourceContributor } from './entities/resource-contributor.entity';
import { ResourceVersion } from './entities/resource-version.entity';
import { Resource } from './entities/resource.entity';
import { ResourcePolicy } from './policies/resource.policy';
import { ResourceSearchProvider } from './search/resource-search.provider';
import { ResourceAccountHooks } from './services/resource-account-hooks';
import { ResourceService } from './services/resource.service';
import { FILE_STORAGE } from './storage/file-storage';
import { LocalDiskStorage } from './storage/local-disk.storage';

/** The resource library: services, storage and the search provider. Imported by the API and the worker's jobs module. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Resource, ResourceVersion, ResourceContributor]),
    AuditModule,
    IdentityModule,
    SearchModule,
  ],
  providers: [
    {
      provide: FILE_STORAGE,
      inject: [APP_CONFIG],
      // Partial uploads of a process that died are removed before this one takes any.
      useFactory: async (config: AppConfig) => {
        const storage = new LocalDiskStorage(config.files.storageDir);
        const removed = await storage.removeAbandonedUploads();
        if (removed) new Logger('FileStorage').warn(`removed ${removed} abandoned partial upload(s)`);
        return storage;
      },
    },
    ResourcePolicy,
    ResourceService,
    ResourceSearchProvider,
    ResourceAccountHooks,
  ],
  exports: [FILE_STORAGE, ResourcePolicy, ResourceService],
})
export class ResourcesModule {}
