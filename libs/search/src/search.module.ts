import { Global, Module } from '@nestjs/common';
import { SearchProviders } from './hooks/search-providers';
import { SearchService } from './services/search.service';

/** Global so each feature module can register its provider without importing the others. */
@Global()
@Module({ providers: [SearchProviders, SearchService], exports: [SearchProviders, SearchService] })
export class SearchModule {}
