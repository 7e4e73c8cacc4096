import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CommunityPage } from './community-page.entity';

/** Every saved version of a page, kept so readers can see what changed and who changed it. */
@Entity('community_page_revisions')
@Index('uq_community_page_revisions_page_id_revision', ['pageId', 'revision'], { unique: true })
export class CommunityPageRevision {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  pageId: string;

  @ManyToOne(() => CommunityPage, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'page_id', foreignKeyConstraintName: 'fk_community_page_revisions_page_id' })
  page?: CommunityPage;

  @Column({ type: 'uuid' })
  communityId: string;

  @Column({ type: 'int' })
  revision: number;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'text' })
  visibility: string;

  /** Null once the editor's account is closed (the revision stays, de-identified). */
  @Column({ type: 'uuid', nullable: true })
  editedBy: string | null;

  /** What the editor said about the change ("Quorum lowered to 4"). */
  @Column({ type: 'text', default: '' })
  note: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
