import type { MigrationClass } from '@cophub/core';
import { Forum1795424592131 } from './1795424592131-Forum';
import { ForumSpeed1795755476473 } from './1795755476473-ForumSpeed';
import { ForumCategoryVersion1795860000000 } from './1795860000000-ForumCategoryVersion';

/**
 * The forum's migrations, oldest first. `ForumSpeed` put a trigger on identity's `users` (renames reach thread
 * pages); it is kept as it ran (docs/architecture.md, historic migrations). New migrations touch forum tables only.
 */
export const forumMigrations: MigrationClass[] = [
  Forum1795424592131,
  ForumSpeed1795755476473,
  ForumCategoryVersion1795860000000,
];
