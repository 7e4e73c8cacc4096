import { CommunityPageRevision } from './community-page-revision.entity';
import { CommunityPage } from './community-page.entity';

/** The pages module's tables, as entities: `community_pages`, `community_page_revisions`. */
export const PAGE_ENTITIES = [CommunityPage, CommunityPageRevision];
