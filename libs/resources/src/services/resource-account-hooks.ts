import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PersonalDataRegistry } from '@cophub/core';
import { DataSource } from 'typeorm';

/**
 * What the resource library holds about a person: resources and versions they added (which stay in the community's
 * library, shown as from "Former member" once they close their account) and their right to contribute.
 */
@Injectable()
export class ResourceAccountHooks implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: PersonalDataRegistry,
  ) {}

  onModuleInit(): void {
    const db = this.dataSource;
    this.registry.register({
      section: 'resources',
      about: 'Resources and file versions you added to community libraries, and where you may contribute.',
      tables: {
        resources: 'kept in the community library; the person who added it shows as "Former member"',
        resource_versions: 'kept in the community library; the uploader shows as "Former member"',
        resource_contributors: 'deleted: the right to contribute ends (a grant given by the person stays)',
      },
      parts: [
        {
          name: 'resourcesAdded',
          about: 'Resources you added.',
          rows: (userId) =>
            db.query(
              `SELECT r.id, c.slug AS community, r.title, r.description, r.created_at AS "createdAt", r.archived_at AS "archivedAt"
                 FROM resources r JOIN communities c ON c.id = r.community_id WHERE r.created_by = $1 ORDER BY r.created_at`,
              [userId],
            ),
        },
        {
          name: 'versionsUploaded',
          about: 'Files or links you uploaded as versions of a resource.',
          rows: (userId) =>
            db.query(
              `SELECT v.resource_id AS "resourceId", v.version_no AS "version", v.kind, v.file_name AS "fileName", v.url,
                      v.media_type AS "mediaType", v.size_bytes::float AS "sizeBytes", v.created_at AS "createdAt"
                 FROM resource_versions v WHERE v.uploaded_by = $1 ORDER BY v.created_at`,
              [userId],
            ),
        },
        {
          name: 'contributorOf',
          about: 'Communities where a co-chair let you add resources.',
          rows: (userId) =>
            db.query(
              `SELECT c.slug AS community, rc.created_at AS "grantedAt"
                 FROM resource_contributors rc JOIN communities c ON c.id = rc.community_id WHERE rc.user_id = $1`,
              [userId],
            ),
        },
      ],
      close: async (userId) => {
        await db.query('DELETE FROM resource_contributors WHERE user_id = $1', [userId]);
      },
    });
  }
}
