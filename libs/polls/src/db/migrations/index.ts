import type { MigrationClass } from '@cophub/core';
import { Polls1795424667110 } from './1795424667110-Polls';
import { PollBallotMixing1795756001501 } from './1795756001501-PollBallotMixing';
import { PollRemindNow1795830000000 } from './1795830000000-PollRemindNow';
import { PollResultsVersions1795870000000 } from './1795870000000-PollResultsVersions';
import { AnonymousBallotsSealed1795920000000 } from './1795920000000-AnonymousBallotsSealed';

/** The polls module's migrations, oldest first: its tables only. */
export const pollsMigrations: MigrationClass[] = [
  Polls1795424667110,
  PollBallotMixing1795756001501,
  PollRemindNow1795830000000,
  PollResultsVersions1795870000000,
  AnonymousBallotsSealed1795920000000,
];
