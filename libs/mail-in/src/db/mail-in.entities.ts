import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { ForumThread } from '@cophub/forum';
import { Community, User } from '@cophub/identity';
import { Resource } from '@cophub/resources';

/** Per-community inbound mail settings; no row means mail on and DMARC failures not accepted. */
@Entity('community_mail_settings')
export class CommunityMailSettings {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_community_mail_settings' })
  communityId: string;

  @ManyToOne(() => Community, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'community_id', foreignKeyConstraintName: 'fk_community_mail_settings_community_id' })
  community?: Community;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ type: 'boolean', default: false })
  acceptDmarcFailures: boolean;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

/** Every message accepted for processing: envelope, sender verdict, outcome, raw bytes until the retention passes. */
@Entity('inbound_messages')
@Index('ux_inbound_messages_message_id', ['messageId'], { unique: true })
@Index('ix_inbound_messages_raw_received_at', ['receivedAt'], { where: 'raw IS NOT NULL' })
@Index('ix_inbound_messages_community_received', ['communityId', 'receivedAt', 'id'])
@Check('ck_inbound_messages_source', "source IN ('smtp', 'webhook')")
@Check('ck_inbound_messages_kind', "kind IN ('submission', 'reply', 'bounce', 'other')")
export class InboundMessage {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_inbound_messages' })
  id: string;

  @Column({ type: 'text' })
  messageId: string;

  @Column({ type: 'text' })
  source: 'smtp' | 'webhook';

  @Column({ type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;

  @Column({ type: 'text', default: '' })
  envelopeFrom: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  envelopeTo: string[];

  @Column({ type: 'text', nullable: true })
  remoteIp: string | null;

  @Column({ type: 'text', nullable: true })
  helo: string | null;

  @Column({ type: 'text', default: '' })
  fromAddress: string;

  @Column({ type: 'text', default: '' })
  subject: string;

  @Column({ type: 'int' })
  sizeBytes: number;

  @Column({ type: 'text' })
  kind: string;

  @Column({ type: 'text' })
  outcome: string;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'uuid', nullable: true })
  communityId: string | null;

  @ManyToOne(() => Community, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'community_id', foreignKeyConstraintName: 'fk_inbound_messages_community_id' })
  community?: Community;

  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_inbound_messages_user_id' })
  user?: User;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  auth: Record<string, unknown>;

  @Column({ type: 'text', default: 'none' })
  dmarc: string;

  @Column({ type: 'boolean', default: false })
  autoSubmitted: boolean;

  @Column({ type: 'bytea', nullable: true })
  raw: Buffer | null;

  @Column({ type: 'timestamptz', nullable: true })
  rawDeletedAt: Date | null;
}

/** An emailed submission waiting for (or past) the co-chairs' decision. */
@Entity('mail_submissions')
@Index('ux_mail_submissions_inbound_message_id', ['inboundMessageId'], { unique: true })
@Index('ix_mail_submissions_community_status_created', ['communityId', 'status', 'createdAt', 'id'])
@Check('ck_mail_submissions_status', "status IN ('pending', 'held', 'publishing', 'published', 'declined')")
@Check('ck_mail_submissions_address', "address IN ('share', 'resources')")
export class MailSubmission {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_mail_submissions' })
  id: string;

  @Column({ type: 'uuid' })
  communityId: string;

  @ManyToOne(() => Community, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'community_id', foreignKeyConstraintName: 'fk_mail_submissions_community_id' })
  community?: Community;

  @Column({ type: 'uuid' })
  inboundMessageId: string;

  @ManyToOne(() => InboundMessage, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'inbound_message_id', foreignKeyConstraintName: 'fk_mail_submissions_inbound_message_id' })
  inboundMessage?: InboundMessage;

  @Column({ type: 'text' })
  address: 'share' | 'resources';

  @Column({ type: 'uuid', nullable: true })
  senderId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'sender_id', foreignKeyConstraintName: 'fk_mail_submissions_sender_id' })
  sender?: User;

  @Column({ type: 'text' })
  senderAddress: string;

  @Column({ type: 'text', default: '' })
  subject: string;

  @Column({ type: 'text', default: '' })
  bodyText: string;

  /** To and Cc as the sender wrote them. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  headerTo: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  headerCc: string[];

  @Column({ type: 'text' })
  status: string;

  @Column({ type: 'text', nullable: true })
  holdReason: string | null;

  @Column({ type: 'text', nullable: true })
  decisionNote: string | null;

  @Column({ type: 'uuid', nullable: true })
  decidedBy: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'decided_by', foreignKeyConstraintName: 'fk_mail_submissions_decided_by' })
  decider?: User;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  threadId: string | null;

  @ManyToOne(() => ForumThread, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'thread_id', foreignKeyConstraintName: 'fk_mail_submissions_thread_id' })
  thread?: ForumThread;

  @Column({ type: 'uuid', nullable: true })
  resourceId: string | null;

  @ManyToOne(() => Resource, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'resource_id', foreignKeyConstraintName: 'fk_mail_submissions_resource_id' })
  resource?: Resource;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** An attachment that passed the upload checks, stored until published (then owned by a resource) or declined. */
@Entity('mail_submission_attachments')
@Index('ux_mail_submission_attachments_position', ['submissionId', 'position'], { unique: true })
export class MailSubmissionAttachment {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_mail_submission_attachments' })
  id: string;

  @Column({ type: 'uuid' })
  submissionId: string;

  @ManyToOne(() => MailSubmission, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'submission_id', foreignKeyConstraintName: 'fk_mail_submission_attachments_submission_id' })
  submission?: MailSubmission;

  @Column({ type: 'uuid' })
  communityId: string;

  @Column({ type: 'int' })
  position: number;

  @Column({ type: 'text' })
  fileName: string;

  @Column({ type: 'text' })
  kind: string;

  @Column({ type: 'text' })
  mediaType: string;

  @Column({ type: 'bigint' })
  sizeBytes: string;

  @Column({ type: 'text' })
  sha256: string;

  @Column({ type: 'text', nullable: true })
  storageKey: string | null;

  @Column({ type: 'uuid', nullable: true })
  resourceId: string | null;

  @ManyToOne(() => Resource, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'resource_id', foreignKeyConstraintName: 'fk_mail_submission_attachments_resource_id' })
  resource?: Resource;
}

export const MAIL_IN_ENTITIES = [CommunityMailSettings, InboundMessage, MailSubmission, MailSubmissionAttachment];
