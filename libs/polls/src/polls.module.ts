import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@cophub/audit';
import { IdentityModule } from '@cophub/identity';
import { MailModule } from '@cophub/mail';
import { NotificationsModule } from '@cophub/notifications';
import { RoomAuthorizers } from '@cophub/realtime';
import { SearchProviders } from '@cophub/search';
import { Poll } from './entities/poll.entity';
import {
  PollAnswer,
  PollBallot,
  PollPublication,
  PollResultsVersion,
  PollSealedBallot,
} from './entities/poll-ballot.entity';
import { PollElector } from './entities/poll-electorate.entity';
import { PollOption } from './entities/poll-option.entity';
import { PollQuestion } from './entities/poll-question.entity';
import { MemberPollsRepository } from './db/member-polls.repository';
import { PollPolicy } from './policies/poll.policy';
import { BallotService } from './services/ballot.service';
import { SealedBallots } from './services/sealed-ballots.service';
import { VoteRateLimiter } from './services/vote-rate-limiter.service';
import { LiveResultsService } from './services/live-results.service';
import { PollLifecycleService } from './services/poll-lifecycle.service';
import { PollSearchProvider } from './services/poll-search.provider';
import { PollsService } from './services/polls.service';
import { PollsToAnswer } from './services/polls-to-answer.service';
import { NamedResponsesService } from './services/named-responses.service';
import { PollAccountHooks } from './services/poll-account-hooks';
import { ResultsCache } from './services/results-cache.service';
import { ResultsService } from './services/results.service';

const SERVICES = [
  PollPolicy,
  PollsService,
  PollLifecycleService,
  BallotService,
  SealedBallots,
  VoteRateLimiter,
  ResultsService,
  ResultsCache,
  LiveResultsService,
  PollSearchProvider,
  NamedResponsesService,
  PollAccountHooks,
  PollsToAnswer,
];

/** Polls: definitions, lifecycle, ballots, results. Registers the `poll` room and search kind. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      Poll,
      PollQuestion,
      PollOption,
      PollElector,
      PollBallot,
      PollAnswer,
      PollSealedBallot,
      PollPublication,
      PollResultsVersion,
    ]),
    AuditModule,
    MailModule,
    NotificationsModule,
    IdentityModule,
  ],
  providers: [...SERVICES, MemberPollsRepository],
  exports: SERVICES,
})
export class PollsModule implements OnModuleInit {
  constructor(
    private readonly rooms: RoomAuthorizers,
    private readonly search: SearchProviders,
    private readonly policy: PollPolicy,
    private readonly provider: PollSearchProvider,
  ) {}

  onModuleInit(): void {
    // `poll:<id>` rooms: the poll's audience (and its co-chairs) only.
    this.rooms.register('poll', (user, id) => this.policy.mayWatch(user, id));
    this.search.register(this.provider);
  }
}
