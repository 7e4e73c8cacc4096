import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ForumPost } from './post.entity';

/** A post's earlier text: written when an edit replaces version `version`. Append-only. */
@Entity('forum_post_revisions')
@Index('ux_forum_post_revisions_post_id_version', ['postId', 'version'], { unique: true })
export class ForumPostRevision {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  communityId: string;

  @Column({ type: 'uuid' })
  postId: string;

  @ManyToOne(() => ForumPost, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'post_id', foreignKeyConstraintName: 'fk_forum_post_revisions_post_id' })
  post?: ForumPost;

  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'text' })
  bodySource: string;

  @Column({ type: 'text' })
  bodyHtml: string;

  /** Who made the edit that replaced this version. */
  @Column({ type: 'uuid', nullable: true })
  editedBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
