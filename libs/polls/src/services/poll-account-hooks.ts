import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PersonalDataRegistry } from '@cophub/core';
import { DataSource } from 'typeorm';

/**
 * What polls hold about a person: the polls they were invited to (and whether they answered), their named answers,
 * and the polls they made. Anonymous answers are stored with no link to anyone, so they cannot be exported or
 * removed: the export says so. Closing keeps every answer in the results, so published figures do not change; named
 * answers show as "Former member" with the account.
 */
@Injectable()
export class PollAccountHooks implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: PersonalDataRegistry,
  ) {}

  onModuleInit(): void {
    const db = this.dataSource;
    this.registry.register({
      section: 'polls',
      about:
        'Polls you were invited to, your answers to named polls, and polls you created. Answers to anonymous polls ' +
        'are kept with no link to you, so they cannot be listed here or removed.',
      tables: {
        polls: 'kept; a creator who closes their account shows as "Former member"',
        poll_electorate: 'kept (turnout and one answer per member), de-identified with the account',
        poll_ballots:
          'named answers stay in the results under "Former member"; anonymous ballots have no link to anyone',
      },
      parts: [
        {
          name: 'invitations',
          about:
            'Polls whose audience included you when they opened, with whether you answered. For anonymous polls this ' +
            'is all CoP Hub knows: that you answered, never what.',
          rows: (userId) =>
            db.query(
              `SELECT p.id AS "pollId", p.title, c.slug AS community, p.anonymous, e.responded AS answered,
                      p.opened_at AS "openedAt", p.closed_at AS "closedAt"
                 FROM poll_electorate e JOIN polls p ON p.id = e.poll_id JOIN communities c ON c.id = p.community_id
                WHERE e.user_id = $1 ORDER BY p.opened_at NULLS LAST, p.id`,
              [userId],
            ),
        },
        {
          name: 'namedAnswers',
          about: 'Your answers to named polls (whose co-chairs can see who answered what).',
          rows: (userId) =>
            db.query(
              `SELECT p.title AS poll, q.prompt AS question, o.label AS option, a.rank, a.value, a.text
                 FROM poll_ballots b
                 JOIN polls p ON p.id = b.poll_id
                 JOIN poll_answers a ON a.ballot_id = b.id
                 JOIN poll_questions q ON q.id = a.question_id
                 LEFT JOIN poll_options o ON o.id = a.option_id
                WHERE b.user_id = $1
                ORDER BY p.title, p.id, q.position, a.ordinal`,
              [userId],
            ),
        },
        {
          name: 'pollsCreated',
          about: 'Polls you created.',
          rows: (userId) =>
            db.query(
              'SELECT id, title, status, anonymous, created_at AS "createdAt" FROM polls WHERE created_by = $1 ORDER BY created_at',
              [userId],
            ),
        },
      ],
      close: async () => undefined,
    });
  }
}
