import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, JoinColumn, ManyToOne } from 'typeorm';
import { User } from '@cophub/identity';
import { CommunityEvent } from './event.entity';
import { AttendanceMethod } from '../domain/enums';

/**
 * Who attended. The CPD hours, title and date are snapshotted so a member's CPD record does not change
 * when the event is edited later; profession and stage are snapshotted for attendance reporting.
 */
@Entity('event_attendance')
@Index('ix_event_attendance_user_id', ['userId', 'startsAt'])
@Check('ck_event_attendance_method', "method IN ('marked', 'check_in')")
export class EventAttendance {
  @PrimaryColumn({ type: 'uuid' })
  eventId: string;

  @ManyToOne(() => CommunityEvent, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'fk_event_attendance_event_id' })
  event?: CommunityEvent;

  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_event_attendance_user_id' })
  user?: User;

  @Column({ type: 'uuid' })
  communityId: string;

  @Column({ type: 'text' })
  method: AttendanceMethod;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'timestamptz' })
  startsAt: Date;

  @Column({ type: 'timestamptz' })
  endsAt: Date;

  @Column({ type: 'numeric', precision: 5, scale: 2, transformer: { to: (v) => v, from: (v) => Number(v) } })
  cpdHours: number;

  @Column({ type: 'text' })
  profession: string;

  @Column({ type: 'text' })
  careerStage: string;

  @Column({ type: 'uuid', nullable: true })
  markedBy: string | null;

  /** The member's own reflection for their CPD record (never shown to co-chairs). */
  @Column({ type: 'text', default: '' })
  learningOutcomes: string;

  @Column({ type: 'text', default: '' })
  reflection: string;

  @Column({ type: 'text', nullable: true })
  evidenceUrl: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  reflectedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** A member's private calendar feed: the URL carries a secret whose SHA-256 is stored here. */
@Entity('calendar_feed_tokens')
@Index('ux_calendar_feed_tokens_token_hash', ['tokenHash'], { unique: true })
export class CalendarFeedToken {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_calendar_feed_tokens_user_id' })
  user?: User;

  @Column({ type: 'text' })
  tokenHash: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
