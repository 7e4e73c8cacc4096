import { CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ForumPost } from './post.entity';

/**
 * A post whose watchers, mentioned and quoted members are still to be notified. Written in the post's
 * own transaction; the fan-out job deletes it in the transaction that writes the notifications, and
 * the worker's reconciler re-enqueues any left behind (Redis lost the job, a worker died).
 */
@Entity('forum_post_fanouts')
export class ForumPostFanout {
  @PrimaryColumn({ type: 'uuid' })
  postId: string;

  @ManyToOne(() => ForumPost, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'post_id', foreignKeyConstraintName: 'fk_forum_post_fanouts_post_id' })
  post?: ForumPost;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
