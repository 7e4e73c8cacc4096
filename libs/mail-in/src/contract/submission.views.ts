import type { AttachmentRow, SubmissionRow, SubmissionStatus } from '../db/submission.repository';
import type { AuthVerdict } from '../services/sender-authentication';

export interface SubmissionAttachmentView {
  id: string;
  fileName: string;
  kind: string;
  mediaType: string;
  sizeBytes: number;
  resourceId: string | null;
}

export interface SubmissionView {
  id: string;
  address: 'share' | 'resources';
  status: SubmissionStatus;
  holdReason: string | null;
  sender: { id: string | null; displayName: string | null; address: string };
  /** To and Cc as the sender wrote them. */
  to: string[];
  cc: string[];
  subject: string;
  bodyText: string;
  receivedAt: string;
  authentication: Pick<AuthVerdict, 'spf' | 'dkim' | 'dmarc' | 'dmarcPolicy' | 'arc'>;
  attachments: SubmissionAttachmentView[];
  decisionNote: string | null;
  decidedAt: string | null;
  threadId: string | null;
  resourceId: string | null;
}

export interface MailSettingsView {
  enabled: boolean;
  acceptDmarcFailures: boolean;
  /** Null when this deployment has no inbound domain (MAIL_IN_DOMAIN). */
  addresses: { share: string; resources: string } | null;
}

export function toSubmissionView(row: SubmissionRow, attachments: AttachmentRow[]): SubmissionView {
  return {
    id: row.id,
    address: row.address,
    status: row.status,
    holdReason: row.holdReason,
    sender: { id: row.senderId, displayName: row.senderName, address: row.senderAddress },
    to: row.headerTo,
    cc: row.headerCc,
    subject: row.subject,
    bodyText: row.bodyText,
    receivedAt: row.createdAt.toISOString(),
    authentication: {
      spf: row.auth.spf,
      dkim: row.auth.dkim,
      dmarc: row.auth.dmarc,
      dmarcPolicy: row.auth.dmarcPolicy,
      arc: row.auth.arc,
    },
    attachments: attachments.map((a) => ({
      id: a.id,
      fileName: a.fileName,
      kind: a.kind,
      mediaType: a.mediaType,
      sizeBytes: Number(a.sizeBytes),
      resourceId: a.resourceId,
    })),
    decisionNote: row.decisionNote,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    threadId: row.threadId,
    resourceId: row.resourceId,
  };
}
