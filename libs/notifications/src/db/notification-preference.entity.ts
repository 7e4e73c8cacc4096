import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '@cophub/identity';
import { NotificationChannel, NotificationKind } from '../domain/enums';

/** A user's chosen channel for one kind; kinds without a row use `DEFAULT_CHANNEL`. */
@Entity('notification_preferences')
@Check('ck_notification_preferences_channel', "channel IN ('in_app', 'email', 'digest', 'off')")
export class NotificationPreference {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_notification_preferences_user_id' })
  user?: User;

  @PrimaryColumn({ type: 'text' })
  kind: NotificationKind;

  @Column({ type: 'text' })
  channel: NotificationChannel;
}
