import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from './user.entity';
import { UserTokenKind } from './enums';

/** Single-use, expiring tokens sent by email. Only a SHA-256 of the token is stored. */
@Entity('user_tokens')
@Index('ux_user_tokens_token_hash', ['tokenHash'], { unique: true })
@Index('ix_user_tokens_user_id_kind', ['userId', 'kind'])
@Check('ck_user_tokens_kind', "kind IN ('verify_email', 'reset_password')")
export class UserToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_user_tokens_user_id' })
  user?: User;

  @Column({ type: 'text' })
  kind: UserTokenKind;

  @Column({ type: 'text' })
  tokenHash: string;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
