import { Global, Module } from '@nestjs/common';
import { SearchProviders } from './search.service';

/** Global so each feature module can register its provider without importing the others. */
@Global()
@Module({ providers: [SearchProviders], exports: [SearchProviders] })
export class SearchModule {}
