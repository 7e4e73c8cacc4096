import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '@cophub/identity';
import { Poll } from './poll.entity';

/**
 * Who may answer (snapshotted when the poll opens) and whether they have. This is where one response
 * per member is enforced: the submission flips `responded` with a conditional update in the same
 * transaction as the ballot insert. For anonymous polls the row carries only `responded` (no time),
 * and the close rewrites every responded row in random order.
 */
@Entity('poll_electorate')
@Index('ix_poll_electorate_user_id', ['userId'])
@Index('ix_poll_electorate_poll_id_responded', ['pollId', 'responded'])
export class PollElector {
  @PrimaryColumn({ type: 'uuid' })
  pollId: string;

  @ManyToOne(() => Poll, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'poll_id', foreignKeyConstraintName: 'fk_poll_electorate_poll_id' })
  poll?: Poll;

  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_poll_electorate_user_id' })
  user?: User;

  @Column({ type: 'uuid' })
  communityId: string;

  /** Profile at opening: copied onto the ballot, so breakdowns describe the electorate as it was. */
  @Column({ type: 'text' })
  profession: string;

  @Column({ type: 'text' })
  careerStage: string;

  @Column({ type: 'text' })
  region: string;

  @Column({ type: 'boolean', default: false })
  responded: boolean;

  /** Named polls only. */
  @Column({ type: 'timestamptz', nullable: true })
  respondedAt: Date | null;
}
