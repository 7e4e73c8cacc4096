import { Injectable, OnModuleInit } from '@nestjs/common';
import { PersonalDataRegistry } from '@cophub/core';
import { PagesRepository } from '../db/pages.repository';

/** Community pages a person edited: the revisions stay in the page's history, shown as by "Former member". */
@Injectable()
export class PageAccountHooks implements OnModuleInit {
  constructor(
    private readonly pages: PagesRepository,
    private readonly registry: PersonalDataRegistry,
  ) {}

  onModuleInit(): void {
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
          rows: (userId) => this.pages.revisionsBy(userId),
        },
      ],
      close: async () => undefined,
    });
  }
}
