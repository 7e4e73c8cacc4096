import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Community } from '@cophub/identity';
import { PollStatus, ResultsVisibility } from './enums';

/**
 * A poll or survey in one community. The audience is three filters (empty = everyone approved);
 * `version` changes with every schedule change, so queued open/close/remind jobs for an older
 * schedule recognise themselves as stale and do nothing.
 */
@Entity('polls')
@Index('ix_polls_community_id_created_at', ['communityId', 'createdAt', 'id'])
@Index('ix_polls_status_opens_at', ['status', 'opensAt'])
@Index('ix_polls_status_closes_at', ['status', 'closesAt'])
@Check('ck_polls_status', "status IN ('draft', 'scheduled', 'open', 'closed')")
@Check('ck_polls_results_visibility', "results_visibility IN ('live', 'after_close')")
@Check('ck_polls_closes_after_opens', 'closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at')
@Check('ck_polls_anonymous_no_changes', 'NOT (anonymous AND allow_change)')
export class Poll {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  communityId: string;

  @ManyToOne(() => Community, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'community_id', foreignKeyConstraintName: 'fk_polls_community_id' })
  community?: Community;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  /**
   * The poll this one was started from ("start from this poll"), if any: polls of one lineage are
   * compared by audience before opening, like polls that share a question.
   */
  @Column({ type: 'uuid', nullable: true })
  templateOf: string | null;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', default: '' })
  contextSource: string;

  @Column({ type: 'text', default: '' })
  contextHtml: string;

  @Column({ type: 'text', default: PollStatus.Draft })
  status: PollStatus;

  @Column({ type: 'boolean', default: true })
  anonymous: boolean;

  /** Named polls only: a member may replace their answers until close. */
  @Column({ type: 'boolean', default: false })
  allowChange: boolean;

  @Column({ type: 'text', default: ResultsVisibility.AfterClose })
  resultsVisibility: ResultsVisibility;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  audienceProfessions: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  audienceCareerStages: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  audienceRegions: string[];

  @Column({ type: 'timestamptz', nullable: true })
  opensAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  closesAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  remindAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  openedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  remindedAt: Date | null;

  /** The last reminder a co-chair sent by hand ("Remind now"). */
  @Column({ type: 'timestamptz', nullable: true })
  remindedNowAt: Date | null;

  /** Size of the electorate snapshotted at opening: the turnout denominator. */
  @Column({ type: 'int', default: 0 })
  electorateSize: number;

  @Column({ type: 'int', default: 1 })
  version: number;

  @Index('ix_polls_search_vector', { synchronize: false })
  @Column({
    type: 'tsvector',
    select: false,
    insert: false,
    update: false,
    nullable: true,
    generatedType: 'STORED',
    asExpression:
      "setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', context_source), 'B')",
  })
  searchVector?: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
