import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '@cophub/identity';
import { ExtractionStatus, VersionKind } from '../domain/version-kinds';
import { Resource } from './resource.entity';

/** One upload (or external link) of a resource. Old versions are kept and stay downloadable. */
@Entity('resource_versions')
@Index('ux_resource_versions_resource_id_version_no', ['resourceId', 'versionNo'], { unique: true })
@Index('ix_resource_versions_community_id', ['communityId'])
@Index('ix_resource_versions_pending', ['createdAt'], { where: "extraction_status = 'pending'" })
@Check('ck_resource_versions_kind', "kind IN ('file', 'link')")
@Check('ck_resource_versions_extraction_status', "extraction_status IN ('pending', 'done', 'failed', 'none')")
@Check(
  'ck_resource_versions_file_or_link',
  "(kind = 'file' AND storage_key IS NOT NULL AND sha256 IS NOT NULL AND size_bytes IS NOT NULL AND url IS NULL)" +
    " OR (kind = 'link' AND url IS NOT NULL AND storage_key IS NULL)",
)
export class ResourceVersion {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  resourceId: string;

  @ManyToOne(() => Resource, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'resource_id', foreignKeyConstraintName: 'fk_resource_versions_resource_id' })
  resource?: Resource;

  @Column({ type: 'uuid' })
  communityId: string;

  @Column({ type: 'int' })
  versionNo: number;

  @Column({ type: 'text' })
  kind: VersionKind;

  /** Opaque storage key (a random uuid); never derived from what the uploader sent. */
  @Column({ type: 'text', nullable: true })
  storageKey: string | null;

  @Column({ type: 'text', nullable: true })
  url: string | null;

  /** Sanitised display name, used only in Content-Disposition. */
  @Column({ type: 'text' })
  fileName: string;

  /** Type found by content sniffing, not the one declared by the client. */
  @Column({ type: 'text', nullable: true })
  mediaType: string | null;

  @Column({
    type: 'bigint',
    nullable: true,
    transformer: { to: (v) => v, from: (v) => (v === null ? null : Number(v)) },
  })
  sizeBytes: number | null;

  @Column({ type: 'text', nullable: true })
  sha256: string | null;

  @Column({ type: 'text', default: ExtractionStatus.Pending })
  extractionStatus: ExtractionStatus;

  @Column({ type: 'text', nullable: true, select: false })
  extractedText: string | null;

  @Column({ type: 'text', nullable: true })
  extractionError: string | null;

  @Column({ type: 'uuid' })
  uploadedBy: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'uploaded_by', foreignKeyConstraintName: 'fk_resource_versions_uploaded_by' })
  uploader?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
