import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RealtimePublisher } from '@cophub/realtime';
import { DataSource } from 'typeorm';

const INTERVAL_MS = 300;

/**
 * Live counts for polls whose results are live: after ballots commit, the poll's room gets
 * `poll.results` with overall counts per question (never breakdowns), at most every 300 ms per poll
 * per API process, so a burst of votes costs a handful of small queries and messages.
 */
@Injectable()
export class LiveResultsService implements OnModuleDestroy {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly realtime: RealtimePublisher,
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
    const [poll] = await this.dataSource.query(`SELECT results_visibility, status FROM polls WHERE id = $1`, [pollId]);
    if (!poll || poll.results_visibility !== 'live' || poll.status !== 'open') return;
    const [responses, rows] = await Promise.all([
      this.dataSource.query(`SELECT count(*)::int AS n FROM poll_ballots WHERE poll_id = $1`, [pollId]),
      this.dataSource.query(
        `SELECT question_id, COALESCE(option_id::text, value::text) AS k, count(*)::int AS n FROM poll_answers
          WHERE poll_id = $1 AND text IS NULL AND (rank IS NULL OR rank = 1) GROUP BY 1, 2`,
        [pollId],
      ),
    ]);
    const counts: Record<string, Record<string, number>> = {};
    for (const row of rows) (counts[row.question_id] ??= {})[row.k] = row.n;
    this.realtime.publish('poll', pollId, 'poll.results', { pollId, responses: responses[0].n, counts });
  }

  onModuleDestroy(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
