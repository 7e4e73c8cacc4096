export { CommunityPage, PageVisibility } from './db/community-page.entity';
export { CommunityPageRevision } from './db/community-page-revision.entity';
export { PAGE_ENTITIES } from './db/page.entities';
export { pagesMigrations } from './db/migrations';
export type { PageRow } from './db/pages.repository';
export { PagesError, PagesErrorCode } from './errors/pages.error';
export { PageService } from './services/page.service';
export type { PageChange, PageDiff, PageInput, RevisionSummary } from './services/page.service';
export {
  CreatePageDto,
  DiffQueryDto,
  PageDiffView,
  PageListView,
  PageRevisionView,
  PageSummaryView,
  PageView,
  UpdatePageDto,
} from './contract/page.dto';
export { toPageSummary, toPageView, toRevisionView } from './contract/page.views';
export { PagesModule } from './pages.module';
