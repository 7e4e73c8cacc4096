import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@cophub/audit';
import { IdentityModule } from '@cophub/identity';
import { SearchModule } from '@cophub/search';
import { CommunityPageRevision } from './db/community-page-revision.entity';
import { CommunityPage } from './db/community-page.entity';
import { PagesRepository } from './db/pages.repository';
import { PageAccountHooks } from './hooks/page-account-hooks';
import { PageSearchProvider } from './hooks/page-search.provider';
import { PagePolicy } from './policies/page.policy';
import { PageService } from './services/page.service';

/** A community's Markdown pages with their revision history, and their place in search and personal data. */
@Module({
  imports: [
    // The entities declare the schema (migrations are generated from them); every statement is in PagesRepository.
    TypeOrmModule.forFeature([CommunityPage, CommunityPageRevision]),
    AuditModule,
    IdentityModule,
    SearchModule,
  ],
  providers: [PagesRepository, PageService, PagePolicy, PageSearchProvider, PageAccountHooks],
  exports: [PageService],
})
export class PagesModule {}
