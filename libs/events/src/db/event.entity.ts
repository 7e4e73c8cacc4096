import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  JoinColumn,
  ManyToOne,
} from 'typeorm';
import { Community } from '@cophub/identity';
import { EventLocationKind, EventStatus, EventVisibility } from '../domain/enums';

/**
 * A community event. Counters (`goingCount`, `waitlistCount`) are kept on the row and changed only
 * while the row is locked, and a check constraint makes exceeding the capacity impossible.
 */
@Entity('events')
@Index('ix_events_community_id_starts_at', ['communityId', 'startsAt', 'id'])
@Index('ix_events_visibility_starts_at', ['visibility', 'communityId', 'startsAt'])
@Check('ck_events_ends_after_starts', 'ends_at > starts_at')
@Check('ck_events_status', "status IN ('scheduled', 'cancelled')")
@Check('ck_events_location_kind', "location_kind IN ('online', 'in_person')")
@Check('ck_events_visibility', "visibility IN ('members', 'public')")
@Check('ck_events_capacity', 'capacity IS NULL OR capacity > 0')
@Check('ck_events_going_within_capacity', 'capacity IS NULL OR going_count <= capacity')
@Check('ck_events_counts', 'going_count >= 0 AND waitlist_count >= 0')
@Check('ck_events_cpd_hours', 'cpd_hours >= 0 AND cpd_hours <= 100')
export class CommunityEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  communityId: string;

  @ManyToOne(() => Community, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'community_id', foreignKeyConstraintName: 'fk_events_community_id' })
  community?: Community;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'text', default: '' })
  descriptionHtml: string;

  @Column({ type: 'timestamptz' })
  startsAt: Date;

  @Column({ type: 'timestamptz' })
  endsAt: Date;

  @Column({ type: 'text' })
  locationKind: EventLocationKind;

  @Column({ type: 'text', nullable: true })
  joinUrl: string | null;

  @Column({ type: 'text', nullable: true })
  venue: string | null;

  @Column({ type: 'int', nullable: true })
  capacity: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  rsvpDeadline: Date | null;

  @Column({ type: 'text', default: EventVisibility.Members })
  visibility: EventVisibility;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  audienceProfessions: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  audienceStages: string[];

  @Column({
    type: 'numeric',
    precision: 5,
    scale: 2,
    default: 0,
    transformer: { to: (v) => v, from: (v) => Number(v) },
  })
  cpdHours: number;

  /** Minutes before the start; whole days are calendar days in Europe/London (see reminder-time.ts). */
  @Column({ type: 'int', array: true, default: () => "'{1440,60}'" })
  reminderOffsets: number[];

  @Column({ type: 'text', default: EventStatus.Scheduled })
  status: EventStatus;

  /** iCalendar SEQUENCE: incremented on every change attendees' calendars should pick up. */
  @Column({ type: 'int', default: 0 })
  sequence: number;

  /** Incremented whenever the start or the reminder offsets change; reminder plans carry it. */
  @Column({ type: 'int', default: 1 })
  scheduleVersion: number;

  @Column({ type: 'int', default: 0 })
  goingCount: number;

  @Column({ type: 'int', default: 0 })
  waitlistCount: number;

  /** Next waitlist position to hand out; positions only grow, so order is arrival order. */
  @Column({ type: 'bigint', default: 1, transformer: { to: (v) => v, from: (v) => Number(v) } })
  waitlistNext: number;

  /** Short code shown at the event for members to check themselves in. */
  @Column({ type: 'text' })
  checkInCode: string;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  /** Full-text document: title weighted above the description. */
  @Index('ix_events_search', { synchronize: false })
  @Column({
    type: 'tsvector',
    select: false,
    insert: false,
    update: false,
    generatedType: 'STORED',
    asExpression:
      "setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'C')",
  })
  search?: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
