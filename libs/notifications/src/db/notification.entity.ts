import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '@cophub/identity';
import { NotificationKind } from '../domain/enums';

/** One in-app notification for one user (the bell). */
@Entity('notifications')
@Index('ix_notifications_user_id_created_at', ['userId', 'createdAt', 'id'])
@Index('ix_notifications_unread', ['userId'], { where: 'read_at IS NULL' })
@Index('ix_notifications_digest', ['userId'], { where: 'digest_pending' })
@Check(
  'ck_notifications_kind',
  `kind IN (${Object.values(NotificationKind)
    .map((k) => `'${k}'`)
    .join(', ')})`,
)
export class Notification {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_notifications_user_id' })
  user?: User;

  /** The community it concerns; access is re-checked when the user follows the link. */
  @Column({ type: 'uuid', nullable: true })
  communityId: string | null;

  @Column({ type: 'text' })
  kind: NotificationKind;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', default: '' })
  body: string;

  /** Path inside the web app, e.g. `/c/north-west-cop/t/<thread id>#post-<post id>`. */
  @Column({ type: 'text' })
  url: string;

  @Column({ type: 'jsonb', default: {} })
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: Record<string, any>;

  @Column({ type: 'timestamptz', nullable: true })
  readAt: Date | null;

  /** Waiting to go out in the user's next daily digest. */
  @Column({ type: 'boolean', default: false })
  digestPending: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
