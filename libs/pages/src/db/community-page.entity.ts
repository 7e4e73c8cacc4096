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

export enum PageVisibility {
  /** Approved members of the community only. */
  Members = 'members',
  /** Anyone, signed in or not (a Terms of Reference a prospective member should read). */
  Public = 'public',
}

/** A Markdown page of a community (Terms of Reference, kickstarter notes, About), edited by co-chairs. */
@Entity('community_pages')
@Check('ck_community_pages_visibility', `"visibility" IN ('members', 'public')`)
@Check('ck_community_pages_slug', `"slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`)
@Index('uq_community_pages_community_id_slug', ['communityId', 'slug'], { unique: true })
export class CommunityPage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  communityId: string;

  @ManyToOne(() => Community, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'community_id', foreignKeyConstraintName: 'fk_community_pages_community_id' })
  community?: Community;

  /** The page's address within the community (`terms-of-reference`). */
  @Column({ type: 'text' })
  slug: string;

  @Column({ type: 'text' })
  title: string;

  /** Markdown as written; `bodyHtml` is the sanitised rendering shown to readers. */
  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'text' })
  bodyHtml: string;

  @Column({ type: 'text', default: PageVisibility.Members })
  visibility: PageVisibility;

  /** The current revision number; each save adds one (and a row in `community_page_revisions`). */
  @Column({ type: 'int', default: 1 })
  revision: number;

  @Column({ type: 'uuid', nullable: true })
  updatedBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
