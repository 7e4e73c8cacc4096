import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Poll } from './poll.entity';
import { QuestionKind } from './enums';

@Entity('poll_questions')
@Index('ux_poll_questions_poll_id_position', ['pollId', 'position'], { unique: true })
@Check(
  'ck_poll_questions_kind',
  "kind IN ('single_choice', 'multiple_choice', 'likert', 'ranked', 'score', 'free_text')",
)
@Check('ck_poll_questions_choices', 'min_choices >= 0 AND (max_choices IS NULL OR max_choices >= min_choices)')
export class PollQuestion {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  pollId: string;

  @ManyToOne(() => Poll, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'poll_id', foreignKeyConstraintName: 'fk_poll_questions_poll_id' })
  poll?: Poll;

  @Column({ type: 'uuid' })
  communityId: string;

  @Column({ type: 'int' })
  position: number;

  @Column({ type: 'text' })
  kind: QuestionKind;

  @Column({ type: 'text' })
  prompt: string;

  @Column({ type: 'boolean', default: true })
  required: boolean;

  /** Multiple choice: fewest and most options a member may tick. */
  @Column({ type: 'int', default: 0 })
  minChoices: number;

  @Column({ type: 'int', nullable: true })
  maxChoices: number | null;
}
