import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RealtimePublisher } from '@cophub/realtime';
import { DataSource } from 'typeorm';
import { PollStatus, ResultsVisibility } from '../entities/enums';
import { Poll } from '../entities/poll.entity';
import { ResultsService } from './results.service';

const INTERVAL_MS = 300;

/**
 * Live counts for polls whose results are live: after ballots are stored (named polls: each vote;
 * anonymous polls: the turnout only, never a count before the close), the poll's room gets `poll.results`
 * with the published overall counts per question (never breakdowns), at most every 300 ms per poll
 * per API process, so a burst of votes costs a handful of small queries and messages.
 */
@Injectable()
export class LiveResultsService implements OnModuleDestroy {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly realtime: RealtimePublisher,
    private readonly results: ResultsService,
  ) {}

  touch(pollId: string): void {
    if (this.timers.has(pollId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(pollId);
      void this.publish(pollId).catch(() => undefined);
    }, INTERVAL_MS);
    timer.unref();
    this.timers.set(pollId, timer);
  }

  async publish(pollId: string): Promise<void> {
    const poll = await this.dataSource.getRepository(Poll).findOne({ where: { id: pollId } });
    if (!poll || poll.resultsVisibility !== ResultsVisibility.Live || poll.status !== PollStatus.Open) return;
    // The same audited publication as the results page: anything withheld there is withheld here.
    const results = await this.results.compute(poll, false);
    const counts: Record<string, Record<string, number>> = {};
    for (const q of results.questions) {
      for (const c of q.counts) if (c.count) (counts[q.id] ??= {})[c.key] = c.count;
    }
    this.realtime.publish('poll', pollId, 'poll.results', { pollId, responses: results.turnout.responses, counts });
  }

  onModuleDestroy(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
