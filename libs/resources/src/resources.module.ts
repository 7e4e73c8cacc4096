import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@cophub/audit';
import { APP_CONFIG, AppConfig } from '@cophub/core';
import { EventLookupModule } from '@cophub/events';
import { IdentityModule } from '@cophub/identity';
import { SearchModule } from '@cophub/search';
import { ResourceContributor } from './db/resource-contributor.entity';
import { ResourceContributorsRepository } from './db/resource-contributors.repository';
import { ResourceVersion } from './db/resource-version.entity';
import { Resource } from './db/resource.entity';
import { ResourcesRepository } from './db/resources.repository';
import { ResourceAccountHooks } from './hooks/resource-account-hooks';
import { ResourceSearchProvider } from './hooks/resource-search.provider';
import { ResourcePolicy } from './policies/resource.policy';
import { ResourceContributorService } from './services/resource-contributor.service';
import { ResourceDownloadService } from './services/resource-download.service';
import { ResourceService } from './services/resource.service';
import { createFileStorage } from './storage/create-file-storage';
import { FILE_STORAGE } from './storage/file-storage';

/** The resource library: services, storage and the search provider. Imported by the API and the worker's jobs module. */
@Module({
  imports: [
    // The entities declare the schema; every statement is in ResourcesRepository or ResourceContributorsRepository.
    TypeOrmModule.forFeature([Resource, ResourceVersion, ResourceContributor]),
    AuditModule,
    EventLookupModule,
    IdentityModule,
    SearchModule,
  ],
  providers: [
    {
      provide: FILE_STORAGE,
      inject: [APP_CONFIG],
      // Local disk, an S3-compatible bucket or an Azure Blob container, as STORAGE says.
      useFactory: (config: AppConfig) => createFileStorage(config),
    },
    ResourcesRepository,
    ResourceContributorsRepository,
    ResourcePolicy,
    ResourceService,
    ResourceContributorService,
    ResourceDownloadService,
    ResourceSearchProvider,
    ResourceAccountHooks,
  ],
  exports: [FILE_STORAGE, ResourcesRepository, ResourceService, ResourceContributorService, ResourceDownloadService],
})
export class ResourcesModule {}
