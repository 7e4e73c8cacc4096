export { HEADLINE_OPTIONS, markSnippet } from './domain/search.types';
export type {
  SearchAfter,
  SearchFilters,
  SearchHit,
  SearchKind,
  SearchProvider,
  SearchScope,
} from './domain/search.types';
export { SearchPageView, SearchQueryDto } from './contract/search.dto';
export { SearchProviders } from './hooks/search-providers';
export { SearchService } from './services/search.service';
export { SearchModule } from './search.module';
