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
import { User } from '@cophub/identity';
import { CommunityEvent } from './event.entity';
import { RsvpStatus } from '../domain/enums';

/** One member's answer for one event, unique per (event, user). Waitlist order is `waitlistPosition`. */
@Entity('event_rsvps')
@Index('ux_event_rsvps_event_id_user_id', ['eventId', 'userId'], { unique: true })
@Index('ix_event_rsvps_event_id_status_position', ['eventId', 'status', 'waitlistPosition'])
@Index('ix_event_rsvps_user_id_status', ['userId', 'status'])
@Check('ck_event_rsvps_status', "status IN ('going', 'waitlisted', 'not_going')")
@Check('ck_event_rsvps_waitlist_position', "(status = 'waitlisted') = (waitlist_position IS NOT NULL)")
export class EventRsvp {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  eventId: string;

  @ManyToOne(() => CommunityEvent, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'fk_event_rsvps_event_id' })
  event?: CommunityEvent;

  @Column({ type: 'uuid' })
  communityId: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_event_rsvps_user_id' })
  user?: User;

  @Column({ type: 'text' })
  status: RsvpStatus;

  @Column({
    type: 'bigint',
    nullable: true,
    transformer: { to: (v) => v, from: (v) => (v == null ? null : Number(v)) },
  })
  waitlistPosition: number | null;

  /** The member's own opt-out of this event's reminder emails. */
  @Column({ type: 'boolean', default: true })
  reminders: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
