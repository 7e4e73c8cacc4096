export * from './entities/community-page.entity';
export * from './entities/community-page-revision.entity';
export * from './errors/pages.error';
export * from './policies/page.policy';
export * from './services/line-diff';
export * from './services/page.service';
export * from './pages.module';
