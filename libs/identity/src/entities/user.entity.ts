import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { CareerStage, Profession, Region } from './enums';

@Entity('users')
@Index('ux_users_email', ['email'], { unique: true })
@Check('ck_users_email_lower', 'email = lower(email)')
@Check('ck_users_profession', "profession IN ('PWP', 'CYWP', 'EMHP', 'MHWP', 'other')")
@Check('ck_users_career_stage', "career_stage IN ('trainee', 'qualified', 'senior')")
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
