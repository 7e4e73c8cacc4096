import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  JoinColumn,
  ManyToOne,
} from 'typeorm';
import { User } from '@cophub/identity';
import { CommunityEvent } from './event.entity';
import { ReminderSlotStatus } from '../domain/enums';

/**
 * One planned reminder for an event: (event, offset, schedule version). PostgreSQL is the plan; the
 * BullMQ delayed job only wakes the worker on time, and the reconciler rebuilds jobs from these rows.
 */
@Entity('event_reminder_slots')
@Index('ux_event_reminder_slots_plan', ['eventId', 'offsetMinutes', 'scheduleVersion'], { unique: true })
@Index('ix_event_reminder_slots_pending_due_at', ['dueAt'], { where: "status = 'pending'" })
@Check('ck_event_reminder_slots_status', "status IN ('pending', 'sent', 'missed', 'superseded')")
export class EventReminderSlot {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  eventId: string;

  @ManyToOne(() => CommunityEvent, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'fk_event_reminder_slots_event_id' })
  event?: CommunityEvent;

  @Column({ type: 'uuid' })
  communityId: string;

  @Column({ type: 'int' })
  offsetMinutes: number;

  @Column({ type: 'int' })
  scheduleVersion: number;

  @Column({ type: 'timestamptz' })
  dueAt: Date;

  @Column({ type: 'text', default: ReminderSlotStatus.Pending })
  status: ReminderSlotStatus;

  @Column({ type: 'timestamptz', nullable: true })
  processedAt: Date | null;

  @Column({ type: 'int', default: 0 })
  recipients: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** The delivery record: one row per (planned reminder, member), claimed before the email is staged. */
@Entity('event_reminder_deliveries')
export class EventReminderDelivery {
  @PrimaryColumn({ type: 'uuid' })
  slotId: string;

  @ManyToOne(() => EventReminderSlot, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'slot_id', foreignKeyConstraintName: 'fk_event_reminder_deliveries_slot_id' })
  slot?: EventReminderSlot;

  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_event_reminder_deliveries_user_id' })
  user?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
