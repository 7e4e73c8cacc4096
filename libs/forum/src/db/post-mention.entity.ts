import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '@cophub/identity';
import { ForumPost } from './post.entity';

/**
 * A member mentioned in a post, resolved by handle when the post was written: the notification goes to
 * this person, and pages link the mention to their current handle, so changing a handle later breaks
 * no old mention. `handle` is the text as written (lower-cased), which the page turns into the link.
 */
@Entity('forum_post_mentions')
@Index('ix_forum_post_mentions_user_id', ['userId', 'threadId'])
export class ForumPostMention {
  @PrimaryColumn({ type: 'uuid' })
  postId: string;

  @ManyToOne(() => ForumPost, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'post_id', foreignKeyConstraintName: 'fk_forum_post_mentions_post_id' })
  post?: ForumPost;

  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_forum_post_mentions_user_id' })
  user?: User;

  @Column({ type: 'uuid' })
  communityId: string;

  @Column({ type: 'uuid' })
  threadId: string;

  @Column({ type: 'text' })
  handle: string;
}
