import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig, Sql } from '@cophub/core';
import { MailOutboxService, StagedMail } from '@cophub/mail';
import { InboundRepository } from '../db/inbound.repository';
import { PermanentRefusal } from '../errors/mail-in.error';
import {
  inboundValues,
  InboundKind,
  InboundOutcome,
  InboundResult,
  InboundRowFields,
  Received,
} from './inbound-mail.types';
import { replyableSender } from './sender-authentication';

/** What every branch of inbound processing shares: the message's row, duplicates, and polite refusals. */
@Injectable()
export class InboundRecorder {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly inbound: InboundRepository,
    private readonly outbox: MailOutboxService,
  ) {}

  get domain(): string {
    const domain = this.config.mailIn.domain;
    if (!domain) throw new PermanentRefusal('5.3.0 This server does not accept mail (MAIL_IN_DOMAIN is not set)', 550);
    return domain;
  }

  /**
   * Was the message addressed to `address`, in the To or Cc its sender wrote? When a passing DKIM
   * signature aligned with From vouches for the message, only the To/Cc lines it signed count: a
   * signed message the member sent elsewhere, re-sent to one of our addresses, keeps its original
   * recipients (and a line added above them is not signed). Otherwise (SPF from the connection, or
   * a community that accepts unauthenticated mail) the header's To and Cc.
   */
  addressedTo(mail: Received, address: string): boolean {
    const wanted = address.toLowerCase();
    const signed = mail.verdict.signedRecipients;
    if (signed) return signed.includes(wanted);
    return mail.headerTo.includes(wanted) || mail.headerCc.includes(wanted);
  }

  /** Inserts the message's row (in `tx` when given), or nothing when its Message-ID is already stored. */
  insertRow(mail: Received, fields: InboundRowFields, tx?: Sql): Promise<string | null> {
    return this.inbound.insert(inboundValues(mail, fields), tx);
  }

  duplicate(kind: InboundKind): InboundResult {
    return { id: null, duplicate: true, kind, outcome: 'ignored', reason: 'duplicate Message-ID' };
  }

  /** Stores a message that needs nothing more done, with its outcome. */
  async record(mail: Received, fields: InboundRowFields & { outcome: InboundOutcome }): Promise<InboundResult> {
    const id = await this.insertRow(mail, fields);
    if (!id) return this.duplicate(fields.kind);
    return { id, duplicate: false, kind: fields.kind, outcome: fields.outcome, reason: fields.reason ?? undefined };
  }

  /**
   * The one polite reply to mail we cannot use: only to a sender we could verify (no backscatter to
   * forged addresses), never to automatic mail, and at most one per sender per period (the outbox's
   * unique dedupe key enforces that, across processes).
   */
  refusal(mail: Received, reason: string, to?: string): StagedMail | null {
    if (mail.automatic) return null;
    const recipient = (to ?? mail.envelope.mailFrom).toLowerCase();
    if (!recipient) return null;
    if (!to && !replyableSender(mail.verdict, recipient)) return null;
    const bucket = Math.floor(Date.now() / (this.config.mailIn.refusalReplyHours * 3_600_000));
    return {
      to: recipient,
      template: 'mailin.refused',
      params: { subject: mail.subject, reason, inReplyTo: mail.parsed.messageId },
      dedupeKey: `mailin.refused:${recipient}:${bucket}`,
    };
  }

  /** A refusal to the member, only when the message proved it came from their domain (no backscatter). */
  refusalToMember(mail: Received, member: { email: string }, reason: string, inboundId: string): StagedMail | null {
    if (mail.automatic || !replyableSender(mail.verdict, member.email)) return null;
    return {
      to: member.email,
      template: 'mailin.refused',
      params: { subject: mail.subject, reason, inReplyTo: mail.parsed.messageId },
      dedupeKey: `mailin.refused:${inboundId}`,
    };
  }

  stage(manager: EntityManager, mails: Array<StagedMail | null>): Promise<string[]> {
    return this.outbox.stage(
      manager,
      mails.filter((m): m is StagedMail => m !== null),
    );
  }
}
