import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** An address that hard-bounced: delivery skips it until its owner confirms it again. */
@Entity('mail_suppressions')
@Check('ck_mail_suppressions_address_lower', 'address = lower(address)')
export class MailSuppression {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_mail_suppressions' })
  address: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'text' })
  status: string;

  @Column({ type: 'text', default: '' })
  diagnostic: string;

  @Column({ type: 'int', default: 1 })
  bounceCount: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  firstBouncedAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  lastBouncedAt: Date;
}
