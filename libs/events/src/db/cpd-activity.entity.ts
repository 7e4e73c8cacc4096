import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { User } from '@cophub/identity';
import { CpdActivityKind } from '../domain/enums';

/**
 * CPD that was not a CoP event (a course, reading, supervision…), recorded by the member, with the
 * reflection HCPC and BABCP audits ask for. Private to the member; no community owns it.
 */
@Entity('cpd_activities')
@Index('ix_cpd_activities_user_id', ['userId', 'occurredOn'])
@Check('ck_cpd_activities_kind', "kind IN ('course', 'reading', 'supervision', 'other')")
@Check('ck_cpd_activities_hours', 'hours > 0 AND hours <= 100')
export class CpdActivity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_cpd_activities' })
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_cpd_activities_user_id' })
  user?: User;

  @Column({ type: 'text' })
  kind: CpdActivityKind;

  @Column({ type: 'text' })
  activity: string;

  /** The UK calendar day it happened (a date, not an instant). */
  @Column({ type: 'date' })
  occurredOn: string;

  @Column({ type: 'numeric', precision: 5, scale: 2, transformer: { to: (v) => v, from: (v) => Number(v) } })
  hours: number;

  @Column({ type: 'text', default: '' })
  learningOutcomes: string;

  @Column({ type: 'text', default: '' })
  reflection: string;

  @Column({ type: 'text', nullable: true })
  evidenceUrl: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
