import { Injectable, OnModuleInit } from '@nestjs/common';
import { PersonalDataRegistry } from '@cophub/core';
import { ResourceContributorsRepository } from '../db/resource-contributors.repository';
import { ResourcesRepository } from '../db/resources.repository';

/**
 * What the resource library holds about a person: resources and versions they added (which stay in the community's
 * library, shown as from "Former member" once they close their account) and their right to contribute.
 */
@Injectable()
export class ResourceAccountHooks implements OnModuleInit {
  constructor(
    private readonly resources: ResourcesRepository,
    private readonly contributors: ResourceContributorsRepository,
    private readonly registry: PersonalDataRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      section: 'resources',
      about: 'Resources and file versions you added to community libraries, and where you may contribute.',
      tables: {
        resources: 'kept in the community library; the person who added it shows as "Former member"',
        resource_versions: 'kept in the community library; the uploader shows as "Former member"',
        resource_contributors: 'deleted: the right to contribute ends (a grant given by the person stays)',
      },
      parts: [
        { name: 'resourcesAdded', about: 'Resources you added.', rows: (userId) => this.resources.addedBy(userId) },
        {
          name: 'versionsUploaded',
          about: 'Files or links you uploaded as versions of a resource.',
          rows: (userId) => this.resources.uploadedBy(userId),
        },
        {
          name: 'contributorOf',
          about: 'Communities where a co-chair let you add resources.',
          rows: (userId) => this.contributors.grantsOf(userId),
        },
      ],
      close: (userId) => this.contributors.removeAllOf(userId),
    });
  }
}
