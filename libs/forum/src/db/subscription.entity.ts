import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { User } from '@cophub/identity';
import { ForumThread } from './thread.entity';
import { SubscriptionLevel } from './enums';

/** Watch or mute a thread. Posting in a thread watches it unless the member muted it. */
@Entity('forum_subscriptions')
@Index('ix_forum_subscriptions_thread_id_level', ['threadId', 'level'])
@Check('ck_forum_subscriptions_level', "level IN ('watching', 'muted')")
export class ForumSubscription {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_forum_subscriptions_user_id' })
  user?: User;

  @PrimaryColumn({ type: 'uuid' })
  threadId: string;

  @ManyToOne(() => ForumThread, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'thread_id', foreignKeyConstraintName: 'fk_forum_subscriptions_thread_id' })
  thread?: ForumThread;

  @Column({ type: 'uuid' })
  communityId: string;

  @Column({ type: 'text' })
  level: SubscriptionLevel;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
