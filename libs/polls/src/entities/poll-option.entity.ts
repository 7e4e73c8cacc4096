import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { PollQuestion } from './poll-question.entity';

@Entity('poll_options')
@Index('ux_poll_options_question_id_position', ['questionId', 'position'], { unique: true })
@Index('ix_poll_options_poll_id', ['pollId'])
export class PollOption {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  questionId: string;

  @ManyToOne(() => PollQuestion, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'question_id', foreignKeyConstraintName: 'fk_poll_options_question_id' })
  question?: PollQuestion;

  @Column({ type: 'uuid' })
  pollId: string;

  @Column({ type: 'int' })
  position: number;

  @Column({ type: 'text' })
  label: string;
}
