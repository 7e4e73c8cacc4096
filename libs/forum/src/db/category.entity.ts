import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Community } from '@cophub/identity';
import { CategoryPostPolicy } from './enums';

/** A forum category inside one community; co-chairs manage them. */
@Entity('forum_categories')
@Index('ux_forum_categories_community_id_name', ['communityId', 'name'], { unique: true })
@Index('ix_forum_categories_community_id_position', ['communityId', 'position', 'id'])
@Check('ck_forum_categories_post_policy', "post_policy IN ('members', 'co_chairs')")
export class ForumCategory {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  communityId: string;

  @ManyToOne(() => Community, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'community_id', foreignKeyConstraintName: 'fk_forum_categories_community_id' })
  community?: Community;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'int', default: 0 })
  position: number;

  @Column({ type: 'text', default: CategoryPostPolicy.Members })
  postPolicy: CategoryPostPolicy;

  /**
   * Bumped (by triggers) whenever what the category list shows of this category changes: its own
   * fields, or the threads it holds. The cached list is keyed by it.
   */
  @Column({ type: 'int', default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
