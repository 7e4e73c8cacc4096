import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@cophub/audit';
import { IdentityModule } from '@cophub/identity';
import { SearchModule } from '@cophub/search';
import { CommunityPageRevision } from './entities/community-page-revision.entity';
import { CommunityPage } from './entities/community-page.entity';
import { PagePolicy } from './policies/page.policy';
import { PageSearchProvider } from './services/page-search.provider';
import { PageAccountHooks } from './services/page-account-hooks';
import { PageService } from './services/page.service';

/** A community's Markdown pages with their revision history, and their place in search. */
@Module({
  imports: [
    TypeOrmModule.forFeature([CommunityPage, CommunityPageRevision]),
    AuditModule,
    IdentityModule,
    SearchModule,
  ],
  providers: [PageService, PagePolicy, PageSearchProvider, PageAccountHooks],
  exports: [PageService, PagePolicy],
})
export class PagesModule {}
