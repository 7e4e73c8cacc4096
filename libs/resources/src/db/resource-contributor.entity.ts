import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Community, User } from '@cophub/identity';

/** A member a co-chair has allowed to upload and edit resources (co-chairs may always). */
@Entity('resource_contributors')
@Index('ix_resource_contributors_user_id', ['userId'])
export class ResourceContributor {
  @PrimaryColumn({ type: 'uuid' })
  communityId: string;

  @ManyToOne(() => Community, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'community_id', foreignKeyConstraintName: 'fk_resource_contributors_community_id' })
  community?: Community;

  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_resource_contributors_user_id' })
  user?: User;

  @Column({ type: 'uuid', nullable: true })
  grantedBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
