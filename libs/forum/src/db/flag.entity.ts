import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '@cophub/identity';
import { ForumPost } from './post.entity';

/** A member's report of a post. One open flag per member per post, enforced by a partial unique index. */
@Entity('forum_flags')
@Index('ux_forum_flags_open_post_reporter', ['postId', 'reporterId'], { unique: true, where: "status = 'open'" })
@Index('ix_forum_flags_community_status_created', ['communityId', 'status', 'createdAt', 'id'])
@Check('ck_forum_flags_status', "status IN ('open', 'dismissed', 'actioned')")
export class ForumFlag {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  communityId: string;

  @Column({ type: 'uuid' })
  postId: string;

  @ManyToOne(() => ForumPost, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'post_id', foreignKeyConstraintName: 'fk_forum_flags_post_id' })
  post?: ForumPost;

  @Column({ type: 'uuid', nullable: true })
  reporterId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'reporter_id', foreignKeyConstraintName: 'fk_forum_flags_reporter_id' })
  reporter?: User;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'text', default: 'open' })
  status: string;

  @Column({ type: 'uuid', nullable: true })
  resolvedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
