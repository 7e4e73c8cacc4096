import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { CareerStage, Profession, Region } from './enums';

@Entity('users')
@Index('ux_users_email', ['email'], { unique: true })
@Check('ck_users_email_lower', 'email = lower(email)')
@Check('ck_users_profession', "profession IN ('PWP', 'CYWP', 'EMHP', 'MHWP', 'other')")
@Check('ck_users_career_stage', "career_stage IN ('trainee', 'qualified', 'senior')")
@Check('ck_users_handle', "handle ~ '^[A-Za-z0-9][A-Za-z0-9_-]{2,29}$'")
// Hand-written in the migration: unique on handle_skeleton(handle) (case and look-alikes folded), and lower(handle).
@Index('ux_users_handle', { synchronize: false })
@Index('ix_users_handle_lower', { synchronize: false })
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Always stored lower-cased, so uniqueness is case-insensitive. */
  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'text' })
  passwordHash: string;

  @Column({ type: 'text' })
  displayName: string;

  /**
   * For `@mentions`, unique platform-wide ignoring case and look-alikes. Chosen by the member; a new
   * account gets one from its display name (the `users_assign_handle` trigger), hence optional on insert.
   */
  @Column({ type: 'text' })
  handle: string;

  @Column({ type: 'text' })
  profession: Profession;

  @Column({ type: 'text' })
  careerStage: CareerStage;

  @Column({ type: 'text' })
  region: Region;

  @Column({ type: 'text', default: '' })
  organisation: string;

  @Column({ type: 'timestamptz', nullable: true })
  emailVerifiedAt: Date | null;

  @Column({ type: 'boolean', default: false })
  isAdmin: boolean;

  /** Set when the person closed their account; the row stays, de-identified, so their posts keep an author. */
  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
