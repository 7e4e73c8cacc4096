import { Inject, Injectable, Logger } from '@nestjs/common';
import { simpleParser } from 'mailparser';
import { APP_CONFIG, AppConfig, SqlPort } from '@cophub/core';
import { MailOutboxService, MailSuppressionService, outboxIdFromVerp } from '@cophub/mail';
import { InboundRepository } from '../db/inbound.repository';
import { parseInboundAddress } from '../domain/addresses';
import { isDeliveryReport, isHardBounce, parseDeliveryReport } from '../domain/dsn';
import { PermanentRefusal } from '../errors/mail-in.error';
import {
  InboundEnvelope,
  InboundKind,
  InboundOutcome,
  InboundResult,
  Received,
  receivedMessage,
} from './inbound-mail.types';
import { InboundRecorder } from './inbound-recorder';
import { InboundReplies } from './inbound-replies';
import { InboundSubmissions } from './inbound-submissions';
import { SenderAuthentication } from './sender-authentication';

/**
 * The whole of inbound processing, shared by the SMTP app and the provider webhook: parse, check the
 * sender (SPF, DKIM, DMARC, ARC), de-duplicate by Message-ID (a unique key, so two deliveries racing
 * each other still make one item), then one of: a submission for the co-chairs' review queue, a reply
 * posted to a thread, a bounce recorded, or a polite refusal. The caller answers the sending server
 * only after this resolves, so an accepted message has been stored.
 */
@Injectable()
export class InboundMailService {
  private readonly logger = new Logger('InboundMail');

  constructor(
    private readonly sql: SqlPort,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly authentication: SenderAuthentication,
    private readonly inbound: InboundRepository,
    private readonly recorder: InboundRecorder,
    private readonly submissions: InboundSubmissions,
    private readonly replies: InboundReplies,
    private readonly suppressions: MailSuppressionService,
    private readonly outbox: MailOutboxService,
  ) {}

  private get domain(): string {
    return this.recorder.domain;
  }

  /** The RCPT TO check: only the community, reply and bounce addresses of this deployment. */
  async acceptsRecipient(address: string): Promise<{ ok: true } | { ok: false; message: string }> {
    const target = parseInboundAddress(address, this.domain);
    if (!target) return { ok: false, message: '5.1.1 No such address here' };
    if (target.kind === 'bounces' && target.verp && !outboxIdFromVerp(target.verp, this.config.auth.jwtSecret)) {
      return { ok: false, message: '5.1.1 No such address here' };
    }
    if (target.kind === 'share' || target.kind === 'resources') {
      const community = await this.inbound.community(target.slug);
      if (!community) return { ok: false, message: '5.1.1 No community with that address' };
      if (!community.enabled) return { ok: false, message: '5.2.1 This community does not take mail' };
    }
    return { ok: true };
  }

  async receive(raw: Buffer, envelope: InboundEnvelope): Promise<InboundResult> {
    if (raw.length > this.config.mailIn.maxMessageBytes) {
      throw new PermanentRefusal(
        `5.3.4 Message too big (at most ${Math.floor(this.config.mailIn.maxMessageBytes / 1048576)} MB)`,
        552,
      );
    }
    const domain = this.domain;
    const [parsed, verdict] = await Promise.all([
      simpleParser(raw, { skipTextToHtml: true, skipImageLinks: true }).catch((error: Error) => {
        // The same bytes fail the same way every time: refuse for good (554 5.6.0), so the sending
        // server returns the message instead of retrying it for days.
        throw new PermanentRefusal(`5.6.0 The message could not be read (${error.message})`, 554);
      }),
      this.authentication.verify(raw, { ip: envelope.remoteAddress, helo: envelope.helo, mailFrom: envelope.mailFrom }),
    ]);
    return this.handle(receivedMessage(raw, envelope, parsed, verdict, domain));
  }

  /** A message read and its sender checked: a bounce, a reply, a submission, or nothing for us. */
  async handle(mail: Received): Promise<InboundResult> {
    if (isDeliveryReport(mail.parsed.headers.get('content-type'))) return this.bounce(mail);
    const { target } = mail;
    if (!target || target.kind === 'bounces') {
      return this.recorder.record(mail, { kind: 'other', outcome: 'ignored', reason: 'not a delivery report' });
    }
    const kind: InboundKind = target.kind === 'reply' ? 'reply' : 'submission';
    if (mail.automatic)
      return this.recorder.record(mail, { kind, outcome: 'ignored_automatic', reason: mail.automatic });
    if (target.kind === 'reply') return this.replies.reply(mail, target.token);
    return this.submissions.submission(mail, target);
  }

  // ---------------------------------------------------------------- bounces

  /**
   * A delivery status notification. It counts only when it arrived at the per-message return path
   * of a message we sent (`bounces+<outbox id>.<mac>`, the mac checked), within MAIL_IN_BOUNCE_DAYS
   * of sending it, and reports a permanent failure for that message's recipient. Reports to the
   * plain bounces address, or citing any Message-ID, change nothing: anyone can write those.
   */
  private async bounce(mail: Received): Promise<InboundResult> {
    const secret = this.config.auth.jwtSecret;
    const outboxIds = mail.envelope.rcptTo
      .map((r) => parseInboundAddress(r, this.domain))
      .map((t) => (t?.kind === 'bounces' && t.verp ? outboxIdFromVerp(t.verp, secret) : null))
      .filter((id): id is string => id !== null);
    const report = parseDeliveryReport(mail.raw);
    const hard = report.failures.filter(isHardBounce);
    const result = await this.sql
      .transaction(async (tx, manager) => {
        const sent = outboxIds.length
          ? await this.outbox.sentMessages(tx, outboxIds, this.config.mailIn.bounceDays)
          : [];
        const recent = sent.filter((s) => s.recent);
        let recorded: typeof hard = [];
        for (const message of recent) {
          const failures = hard.filter((f) => f.recipient === message.recipient);
          if (!failures.length) continue;
          await this.suppressions.markHardBounce(message.recipient, failures[0], manager);
          recorded = [...recorded, failures[0]];
        }
        const outcome: InboundOutcome = recorded.length ? 'bounce_recorded' : 'bounce_ignored';
        const reason = recorded.length
          ? `hard bounce: ${recorded.map((f) => `${f.recipient} ${f.status}`).join(', ')}`
          : !outboxIds.length
            ? 'not sent to a per-message bounce address'
            : !sent.length
              ? 'no such message sent'
              : !recent.length
                ? `about a message sent more than ${this.config.mailIn.bounceDays} days ago`
                : hard.length
                  ? "failure not about that message's recipient"
                  : 'no permanent failure';
        const id = await this.recorder.insertRow(mail, { kind: 'bounce', outcome, reason: reason.slice(0, 1000) }, tx);
        if (!id) throw new DuplicateRollback();
        return { id, outcome, reason };
      })
      .catch((error: unknown) => {
        if (error instanceof DuplicateRollback) return null;
        throw error;
      });
    if (!result) return this.recorder.duplicate('bounce');
    if (result.outcome === 'bounce_recorded') this.logger.log(`bounce recorded: ${result.reason}`);
    return { id: result.id, duplicate: false, kind: 'bounce', outcome: result.outcome, reason: result.reason };
  }
}

/** Rolls back a bounce's suppressions when its Message-ID was already processed. */
class DuplicateRollback extends Error {}
