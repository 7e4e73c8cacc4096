import type { MigrationClass } from '@cophub/core';
import { Resources1795424619199 } from './1795424619199-Resources';
import { ResourceEventLink1795426214540 } from './1795426214540-ResourceEventLink';
import { SearchRanking1795757197913 } from './1795757197913-SearchRanking';

/**
 * The resources module's migrations, oldest first. `ResourceEventLink` added a foreign key to events' `events`;
 * it is kept as it ran (docs/architecture.md, historic migrations). New migrations touch resources' tables only.
 */
export const resourcesMigrations: MigrationClass[] = [
  Resources1795424619199,
  ResourceEventLink1795426214540,
  SearchRanking1795757197913,
];
