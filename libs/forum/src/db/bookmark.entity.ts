import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '@cophub/identity';
import { ForumPost } from './post.entity';

/** A member's private bookmark of a post. */
@Entity('forum_bookmarks')
@Index('ix_forum_bookmarks_user_community_created', ['userId', 'communityId', 'createdAt', 'postId'])
export class ForumBookmark {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_forum_bookmarks_user_id' })
  user?: User;

  @PrimaryColumn({ type: 'uuid' })
  postId: string;

  @ManyToOne(() => ForumPost, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'post_id', foreignKeyConstraintName: 'fk_forum_bookmarks_post_id' })
  post?: ForumPost;

  @Column({ type: 'uuid' })
  communityId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
