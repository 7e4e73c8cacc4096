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
import { Community } from './community.entity';
import { User } from './user.entity';
import { CommunityRole, MembershipStatus } from './enums';

/** A user's standing in one community. One row per (community, user), enforced by the database. */
@Entity('memberships')
@Index('ux_memberships_community_id_user_id', ['communityId', 'userId'], { unique: true })
@Index('ix_memberships_user_id', ['userId'])
@Check('ck_memberships_status', "status IN ('pending', 'approved', 'rejected', 'suspended')")
@Check('ck_memberships_role', "role IN ('member', 'moderator', 'co_chair')")
@Index('ix_memberships_community_id_status_created_at', ['communityId', 'status', 'createdAt', 'id'])
export class Membership {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  communityId: string;

  @ManyToOne(() => Community, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'community_id', foreignKeyConstraintName: 'fk_memberships_community_id' })
  community?: Community;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_memberships_user_id' })
  user?: User;

  @Column({ type: 'text' })
  status: MembershipStatus;

  @Column({ type: 'text', default: CommunityRole.Member })
  role: CommunityRole;

  @Column({ type: 'uuid', nullable: true })
  decidedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  /** A co-chair who agrees to be named as a key contact on the community's overview. */
  @Column({ type: 'boolean', default: false })
  listedAsContact: boolean;

  /** The overview's "new since your last visit": the start of the current visit and of the one before. */
  @Column({ type: 'timestamptz', nullable: true })
  lastVisitedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  previousVisitAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
