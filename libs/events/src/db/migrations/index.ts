import type { MigrationClass } from '@cophub/core';
import { Events1795424854225 } from './1795424854225-Events';
import { CpdReflections1795850000000 } from './1795850000000-CpdReflections';

/** The events module's migrations, oldest first: its tables only. */
export const eventsMigrations: MigrationClass[] = [Events1795424854225, CpdReflections1795850000000];
