import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Region } from './enums';

@Entity('communities')
@Index('ux_communities_slug', ['slug'], { unique: true })
@Check('ck_communities_breakdown_threshold', 'breakdown_threshold BETWEEN 2 AND 100')
@Check('ck_communities_slug', "slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'")
export class Community {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  slug: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', default: '' })
  description: string;

  /** What the community is for (Markdown-free plain text, shown on its overview). */
  @Column({ type: 'text', default: '' })
  aims: string;

  /** Who it is for ("PWPs and trainees in the North West"). */
  @Column({ type: 'text', default: '' })
  audience: string;

  @Column({ type: 'text' })
  region: Region;

  /** Verified users whose email is at one of these domains are approved on request. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  autoApproveDomains: string[];

  /** Poll breakdown cells smaller than this are suppressed. */
  @Column({ type: 'int', default: 5 })
  breakdownThreshold: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
