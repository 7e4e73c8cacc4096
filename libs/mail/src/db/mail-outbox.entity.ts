import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { MailStatus } from '../domain/mail-status';

/**
 * Every email is a row here first, written in the same transaction as the change that causes it.
 * The queue only carries the id; the row is the truth about whether it went out.
 */
@Entity('mail_outbox')
@Index('ux_mail_outbox_dedupe_key', ['dedupeKey'], { unique: true, where: 'dedupe_key IS NOT NULL' })
@Index('ix_mail_outbox_due', ['nextAttemptAt'], { where: "status IN ('pending', 'sending')" })
@Index('ix_mail_outbox_status_created_at', ['status', 'createdAt'])
@Index('ix_mail_outbox_recipient', ['recipient'])
@Check('ck_mail_outbox_status', "status IN ('pending', 'sending', 'sent', 'dead', 'suppressed')")
export class MailOutbox {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  recipient: string;

  @Column({ type: 'text' })
  template: string;

  @Column({ type: 'jsonb' })
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  params: Record<string, any>;

  @Column({ type: 'text', default: MailStatus.Pending })
  status: MailStatus;

  /** Optional business key (e.g. one reminder per event, member, offset and version). */
  @Column({ type: 'text', nullable: true })
  dedupeKey: string | null;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  /** While a worker is sending, no other may claim the row until this passes. */
  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'text', nullable: true })
  subject: string | null;

  @Column({ type: 'text', nullable: true })
  bodyText: string | null;

  @Column({ type: 'text', nullable: true })
  bodyHtml: string | null;

  /** `smtp` or `local` (kept in the outbox for developers when no SMTP server is configured). */
  @Column({ type: 'text', nullable: true })
  transport: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
