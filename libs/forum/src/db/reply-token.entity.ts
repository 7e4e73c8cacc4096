import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '@cophub/identity';
import { ForumThread } from './thread.entity';

/** One reply-by-email address per member and thread (see `ReplyAddressService`). */
@Entity('forum_reply_tokens')
@Index('ux_forum_reply_tokens_user_thread', ['userId', 'threadId'], { unique: true })
export class ForumReplyToken {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_forum_reply_tokens' })
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_forum_reply_tokens_user_id' })
  user?: User;

  @Column({ type: 'uuid' })
  threadId: string;

  @ManyToOne(() => ForumThread, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'thread_id', foreignKeyConstraintName: 'fk_forum_reply_tokens_thread_id' })
  thread?: ForumThread;

  @Column({ type: 'uuid' })
  communityId: string;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
