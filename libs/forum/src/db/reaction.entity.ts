import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '@cophub/identity';
import { ForumPost } from './post.entity';
import { ReactionKind } from './enums';

/** One member's reaction of one kind to a post; the primary key makes reacting twice a no-op. */
@Entity('forum_reactions')
@Index('ix_forum_reactions_user_id', ['userId'])
@Check(
  'ck_forum_reactions_kind',
  `kind IN (${Object.values(ReactionKind)
    .map((k) => `'${k}'`)
    .join(', ')})`,
)
export class ForumReaction {
  @PrimaryColumn({ type: 'uuid' })
  postId: string;

  @ManyToOne(() => ForumPost, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'post_id', foreignKeyConstraintName: 'fk_forum_reactions_post_id' })
  post?: ForumPost;

  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_forum_reactions_user_id' })
  user?: User;

  @PrimaryColumn({ type: 'text' })
  kind: ReactionKind;

  @Column({ type: 'uuid' })
  communityId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
