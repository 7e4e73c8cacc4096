import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@cophub/audit';
import { DataSource } from 'typeorm';
import { Poll } from '../entities/poll.entity';
import { PollError, PollErrorCode } from '../errors/polls.error';

export interface NamedAnswer {
  questionId: string;
  prompt: string;
  kind: string;
  /** Chosen option labels, in order (ranked questions: first choice first). */
  choices: string[];
  value: number | null;
  text: string | null;
}

export interface NamedResponse {
  userId: string;
  displayName: string;
  profession: string;
  careerStage: string;
  answers: NamedAnswer[];
}

interface Row {
  user_id: string;
  display_name: string;
  profession: string;
  career_stage: string;
  question_id: string;
  prompt: string;
  kind: string;
  label: string | null;
  value: number | null;
  text: string | null;
}

/**
 * Who answered what, for co-chairs, in named polls only: the point of a named poll. Anonymous polls
 * have nothing to show here by construction (their ballots carry no user). Each look is audited.
 */
@Injectable()
export class NamedResponsesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(
    poll: Poll,
    actorId: string,
  ): Promise<{ responses: NamedResponse[]; notResponded: Array<{ userId: string; displayName: string }> }> {
    if (poll.anonymous) {
      throw new PollError(PollErrorCode.NamedOnly, 'This poll is anonymous: nobody can see who answered what');
    }
    const rows: Row[] = await this.dataSource.query(
      `SELECT b.user_id, u.display_name, b.profession, b.career_stage, q.id AS question_id, q.prompt, q.kind,
              o.label, a.value, a.text
         FROM poll_ballots b
         JOIN users u ON u.id = b.user_id
         JOIN poll_answers a ON a.ballot_id = b.id
         JOIN poll_questions q ON q.id = a.question_id
         LEFT JOIN poll_options o ON o.id = a.option_id
        WHERE b.poll_id = $1
        ORDER BY u.display_name, b.user_id, q.position, COALESCE(a.rank, a.ordinal)`,
      [poll.id],
    );
    const byUser = new Map<string, NamedResponse>();
    for (const row of rows) {
      let response = byUser.get(row.user_id);
      if (!response) {
        response = {
          userId: row.user_id,
          displayName: row.display_name,
          profession: row.profession,
          careerStage: row.career_stage,
          answers: [],
        };
        byUser.set(row.user_id, response);
      }
      let answer = response.answers.find((a) => a.questionId === row.question_id);
      if (!answer) {
        answer = {
          questionId: row.question_id,
          prompt: row.prompt,
          kind: row.kind,
          choices: [],
          value: null,
          text: null,
        };
        response.answers.push(answer);
      }
      if (row.label !== null) answer.choices.push(row.label);
      if (row.value !== null) answer.value = Number(row.value);
      if (row.text !== null) answer.text = row.text;
    }
    const notResponded: Array<{ user_id: string; display_name: string }> = await this.dataSource.query(
      `SELECT e.user_id, u.display_name FROM poll_electorate e JOIN users u ON u.id = e.user_id
        WHERE e.poll_id = $1 AND NOT e.responded ORDER BY u.display_name`,
      [poll.id],
    );
    await this.dataSource.transaction((manager) =>
      this.audit.record(manager, {
        communityId: poll.communityId,
        actorId,
        action: 'poll.named_responses_viewed',
        targetType: 'poll',
        targetId: poll.id,
      }),
    );
    return {
      responses: [...byUser.values()],
      notResponded: notResponded.map((r) => ({ userId: r.user_id, displayName: r.display_name })),
    };
  }
}
