export { CommunityPage } from './db/community-page.entity';
export { CommunityPageRevision } from './db/community-page-revision.entity';
export { PageService } from './services/page.service';
export {
  CreatePageDto,
  DiffQueryDto,
  PageDiffView,
  PageListView,
  PageRevisionView,
  PageView,
  UpdatePageDto,
} from './contract/page.dto';
export { toPageSummary, toPageView, toRevisionView } from './contract/page.views';
export { PagesModule } from './pages.module';
export { PAGE_ENTITIES } from './db/page.entities';
export { pagesMigrations } from './db/migrations';
