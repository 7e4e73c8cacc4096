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
import { CommunityEvent } from '@cophub/events';
import { CareerStage, Community, Profession, User } from '@cophub/identity';

/**
 * A document in a community's library. The file itself lives in its versions; the resource holds
 * what people search and filter by. `document` is a generated tsvector (title A, tags B,
 * description C, current version's extracted text D) written by hand in the migration, so the
 * entity never inserts or updates it.
 */
@Entity('resources')
@Index('ix_resources_community_id_created_at', ['communityId', 'createdAt', 'id'])
@Index('ix_resources_event_id', ['eventId'])
@Index('ix_resources_document', { synchronize: false })
@Index('ix_resources_tags', { synchronize: false })
@Check('ck_resources_title', 'char_length(title) BETWEEN 1 AND 200')
@Check('ck_resources_current_version_no', 'current_version_no >= 0')
export class Resource {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  communityId: string;

  @ManyToOne(() => Community, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'community_id', foreignKeyConstraintName: 'fk_resources_community_id' })
  community?: Community;

  @Column({ type: 'text' })
  title: string;

  /** Markdown source as written. */
  @Column({ type: 'text', default: '' })
  description: string;

  /** `description` rendered through the allow-list sanitiser. */
  @Column({ type: 'text', default: '' })
  descriptionHtml: string;

  /** Lower-case tags; GIN-indexed for the tag filter. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags: string[];

  /** Audience hint: empty means everyone. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  professions: Profession[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  careerStages: CareerStage[];

  /**
   * The event this resource belongs to (agenda, slides, notes). No foreign key yet: the events module
   * is built in parallel; a later migration adds `REFERENCES events(id) ON DELETE SET NULL`.
   */
  @Column({ type: 'uuid', nullable: true })
  eventId: string | null;

  @ManyToOne(() => CommunityEvent, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'fk_resources_event_id' })
  event?: CommunityEvent;

  /** Number of the current version; 0 only inside the creating transaction. */
  @Column({ type: 'int', default: 0 })
  currentVersionNo: number;

  /** Extracted text of the current version (capped), copied here so the tsvector can be generated. */
  @Column({ type: 'text', default: '', select: false })
  bodyText: string;

  @Column({ type: 'tsvector', nullable: true, select: false, insert: false, update: false })
  document?: string;

  /** The small tsvector search ranks by (title, tags, description, start of the text); same trigger. */
  @Column({ type: 'tsvector', nullable: true, select: false, insert: false, update: false })
  rankDocument?: string;

  @Column({ type: 'uuid' })
  createdBy: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'fk_resources_created_by' })
  creator?: User;

  @Column({ type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
