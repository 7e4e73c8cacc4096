import type { MigrationClass } from '@cophub/core';
import { CommunityPages1795757942841 } from './1795757942841-CommunityPages';

/** The pages module's migrations: its tables only. */
export const pagesMigrations: MigrationClass[] = [CommunityPages1795757942841];
