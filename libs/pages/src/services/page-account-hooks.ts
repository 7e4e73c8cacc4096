import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PersonalDataRegistry } from '@cophub/core';
import { DataSource } from 'typeorm';

/** Community pages a person edited: the revisions stay in the page's history, shown as by "Former member". */
@Injectable()
export class PageAccountHooks implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: PersonalDataRegistry,
  ) {}

  onModuleInit(): void {
    const db = this.dataSource;
    this.registry.register({
      section: 'pages',
      about: 'Revisions of community pages (terms of reference, guides) that you wrote.',
      tables: {
        community_pages: 'kept; the last editor shows as "Former member"',
        community_page_revisions: 'kept in the page history; the editor shows as "Former member"',
      },
      parts: [
        {
          name: 'revisions',
          about: 'Each revision of a community page you saved, with its title, text and note.',
          rows: (userId) =>
            db.query(
              `SELECT c.slug AS community, p.slug AS page, r.revision, r.title, r.body AS markdown, r.note,
                      r.created_at AS "savedAt"
                 FROM community_page_revisions r
                 JOIN community_pages p ON p.id = r.page_id
                 JOIN communities c ON c.id = r.community_id
                WHERE r.edited_by = $1 ORDER BY r.created_at, r.id`,
              [userId],
            ),
        },
      ],
      close: async () => undefined,
    });
  }
}
