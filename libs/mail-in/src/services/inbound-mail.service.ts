import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { simpleParser, ParsedMail, Attachment, AddressObject } from 'mailparser';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { APP_CONFIG, AppConfig, DomainError } from '@cophub/core';
import { PostService, ReplyAddressService } from '@cophub/forum';
import { MailOutboxService, MailSuppressionService, outboxIdFromVerp, StagedMail } from '@cophub/mail';
import {
  AcceptedFile,
  DEFAULT_ZIP_LIMITS,
  FILE_STORAGE,
  FileStorage,
  receiveFile,
  ResourceError,
} from '@cophub/resources';
import { DataSource, EntityManager } from 'typeorm';
import { PermanentRefusal } from '../errors/mail-in.error';
import { InboundTarget, parseInboundAddress, primaryTarget } from '../parsing/addresses';
import { automaticReason } from '../parsing/automatic';
import { isDeliveryReport, isHardBounce, parseDeliveryReport } from '../parsing/dsn';
import { extractReplyText } from '../parsing/reply-text';
import { ReplyConfirmationService } from './reply-confirmation.service';
import { AuthVerdict, authenticatedEnough, replyableSender, SenderAuthentication } from './sender-authentication';

export interface InboundEnvelope {
  source: 'smtp' | 'webhook';
  /** MAIL FROM; empty for the null return path `<>`. */
  mailFrom: string;
  rcptTo: string[];
  remoteAddress?: string;
  helo?: string;
}

export type InboundKind = 'submission' | 'reply' | 'bounce' | 'other';

export type InboundOutcome =
  | 'submitted'
  | 'held'
  | 'refused'
  | 'posted'
  | 'awaiting_confirmation'
  | 'reply_refused'
  | 'bounce_recorded'
  | 'bounce_ignored'
  | 'ignored_automatic'
  | 'ignored';

export interface InboundResult {
  id: string | null;
  duplicate: boolean;
  kind: InboundKind;
  outcome: InboundOutcome;
  reason?: string;
  submissionId?: string;
  postId?: string;
}

interface CommunityRow {
  id: string;
  slug: string;
  name: string;
  enabled: boolean;
  accept_dmarc_failures: boolean;
}

interface MemberRow {
  id: string;
  email: string;
  display_name: string;
  status: string | null;
}

/** Everything about one message that every branch needs. */
interface Received {
  raw: Buffer;
  envelope: InboundEnvelope;
  parsed: ParsedMail;
  target: InboundTarget | null;
  verdict: AuthVerdict;
  messageId: string;
  fromAddress: string;
  subject: string;
  automatic: string | null;
  /** To and Cc of the header as mail clients show them, lower case. */
  headerTo: string[];
  headerCc: string[];
}

const addressesOf = (field: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(field) ? field : field ? [field] : [])
    .flatMap((o) => o.value.flatMap((a) => (a.group ? a.group : [a])))
    .map((a) => (a.address ?? '').toLowerCase())
    .filter(Boolean);

interface InboundRowFields {
  kind: InboundKind;
  outcome: InboundOutcome | 'processing';
  reason?: string | null;
  communityId?: string | null;
  userId?: string | null;
}

const BODY_MAX = 20_000;

/** A Message-ID as stored for de-duplication; a message without one gets one from its content. */
export function normaliseMessageId(value: string | undefined, raw: Buffer): string {
  const trimmed = value?.trim();
  if (trimmed && trimmed.length <= 500) return trimmed.replace(/^<?/, '<').replace(/>?$/, '>').toLowerCase();
  return `<sha256.${createHash('sha256').update(raw).digest('hex')}@generated>`;
}

/** The columns of an inbound message's row, in the order `inboundValues` gives them. */
const INBOUND_COLUMNS = `message_id, source, envelope_from, envelope_to, remote_ip, helo, from_address, subject,
  size_bytes, kind, outcome, reason, community_id, user_id, auth, dmarc, auto_submitted, raw`;

function inboundValues(mail: Received, fields: InboundRowFields): unknown[] {
  return [
    mail.messageId,
    mail.envelope.source,
    mail.envelope.mailFrom.toLowerCase(),
    mail.envelope.rcptTo.map((r) => r.toLowerCase()),
    mail.envelope.remoteAddress ?? null,
    mail.envelope.helo ?? null,
    mail.fromAddress,
    mail.subject,
    mail.raw.length,
    fields.kind,
    fields.outcome,
    fields.reason ?? null,
    fields.communityId ?? null,
    fields.userId ?? null,
    JSON.stringify(mail.verdict),
    mail.verdict.dmarc,
    mail.automatic !== null,
    mail.raw,
  ];
}

/** `$from, $from+1, …` for `count` parameters. */
const placeholders = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `$${from + i}`).join(', ');

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
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    private readonly authentication: SenderAuthentication,
    private readonly outbox: MailOutboxService,
    private readonly suppressions: MailSuppressionService,
    private readonly posts: PostService,
    private readonly replyAddresses: ReplyAddressService,
    private readonly confirmations: ReplyConfirmationService,
  ) {}

  private get domain(): string {
    const domain = this.config.mailIn.domain;
    if (!domain) throw new PermanentRefusal('5.3.0 This server does not accept mail (MAIL_IN_DOMAIN is not set)', 550);
    return domain;
  }

  /** The RCPT TO check: only the community, reply and bounce addresses of this deployment. */
  async acceptsRecipient(address: string): Promise<{ ok: true } | { ok: false; message: string }> {
    const target = parseInboundAddress(address, this.domain);
    if (!target) return { ok: false, message: '5.1.1 No such address here' };
    if (target.kind === 'bounces' && target.verp && !outboxIdFromVerp(target.verp, this.config.auth.jwtSecret)) {
      return { ok: false, message: '5.1.1 No such address here' };
    }
    if (target.kind === 'share' || target.kind === 'resources') {
      const community = await this.community(target.slug);
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
    const target = primaryTarget(envelope.rcptTo, this.domain);
    const [parsed, verdict] = await Promise.all([
      simpleParser(raw, { skipTextToHtml: true, skipImageLinks: true }).catch((error: Error) => {
        // The same bytes fail the same way every time: refuse for good (554 5.6.0), so the sending
        // server returns the message instead of retrying it for days.
        throw new PermanentRefusal(`5.6.0 The message could not be read (${error.message})`, 554);
      }),
      this.authentication.verify(raw, { ip: envelope.remoteAddress, helo: envelope.helo, mailFrom: envelope.mailFrom }),
    ]);
    const mail: Received = {
      raw,
      envelope,
      parsed,
      target,
      verdict,
      messageId: normaliseMessageId(parsed.messageId, raw),
      fromAddress: (parsed.from?.value[0]?.address ?? '').toLowerCase(),
      subject: (parsed.subject ?? '').slice(0, 500),
      automatic: automaticReason(parsed.headers as Map<string, unknown>, envelope.mailFrom),
      headerTo: addressesOf(parsed.to).slice(0, 100),
      headerCc: addressesOf(parsed.cc).slice(0, 100),
    };

    if (isDeliveryReport(parsed.headers.get('content-type'))) return this.bounce(mail);
    if (!target || target.kind === 'bounces') {
      return this.record(mail, { kind: 'other', outcome: 'ignored', reason: 'not a delivery report' });
    }
    const kind: InboundKind = target.kind === 'reply' ? 'reply' : 'submission';
    if (mail.automatic) return this.record(mail, { kind, outcome: 'ignored_automatic', reason: mail.automatic });
    if (target.kind === 'reply') return this.reply(mail, target.token);
    return this.submission(mail, target);
  }

  /**
   * Was the message addressed to `address`, in the To or Cc its sender wrote? When a passing DKIM
   * signature aligned with From vouches for the message, only the To/Cc lines it signed count: a
   * signed message the member sent elsewhere, re-sent to one of our addresses, keeps its original
   * recipients (and a line added above them is not signed). Otherwise (SPF from the connection, or
   * a community that accepts unauthenticated mail) the header's To and Cc.
   */
  private addressedTo(mail: Received, address: string): boolean {
    const wanted = address.toLowerCase();
    const signed = mail.verdict.signedRecipients;
    if (signed) return signed.includes(wanted);
    return mail.headerTo.includes(wanted) || mail.headerCc.includes(wanted);
  }

  private async community(slug: string): Promise<CommunityRow | null> {
    const rows = (await this.dataSource.query(
      `SELECT c.id, c.slug, c.name, coalesce(s.enabled, true) AS enabled,
              coalesce(s.accept_dmarc_failures, false) AS accept_dmarc_failures
         FROM communities c LEFT JOIN community_mail_settings s ON s.community_id = c.id
        WHERE c.slug = $1`,
      [slug],
    )) as CommunityRow[];
    return rows[0] ?? null;
  }

  /**
   * The community a share address names and the sender as a member of it, in one round trip: the
   * member is null unless the address belongs to a verified, open account (membership status aside).
   */
  private async communityAndMember(
    slug: string,
    address: string,
  ): Promise<{ community: CommunityRow; member: MemberRow | null } | null> {
    const [row] = (await this.dataSource.query(
      `SELECT c.id, c.slug, c.name, coalesce(s.enabled, true) AS enabled,
              coalesce(s.accept_dmarc_failures, false) AS accept_dmarc_failures,
              u.id AS member_id, u.email AS member_email, u.display_name AS member_display_name,
              m.status AS member_status
         FROM communities c
         LEFT JOIN community_mail_settings s ON s.community_id = c.id
         LEFT JOIN users u ON u.email = lower($2) AND $2 <> ''
                          AND u.email_verified_at IS NOT NULL AND u.closed_at IS NULL
         LEFT JOIN memberships m ON m.user_id = u.id AND m.community_id = c.id
        WHERE c.slug = $1`,
      [slug, address],
    )) as Array<
      CommunityRow & {
        member_id: string | null;
        member_email: string;
        member_display_name: string;
        member_status: string | null;
      }
    >;
    if (!row) return null;
    const { member_id, member_email, member_display_name, member_status, ...community } = row;
    return {
      community,
      member: member_id
        ? { id: member_id, email: member_email, display_name: member_display_name, status: member_status }
        : null,
    };
  }

  /**
   * Inserts the message's row, or nothing when its Message-ID is already stored. Inside a
   * transaction the unique key makes a concurrent duplicate wait for the first and then do nothing.
   */
  private async insertRow(manager: EntityManager, mail: Received, fields: InboundRowFields): Promise<string | null> {
    const values = inboundValues(mail, fields);
    const rows = (await manager.query(
      `INSERT INTO inbound_messages (${INBOUND_COLUMNS}) VALUES (${placeholders(1, values.length)})
       ON CONFLICT (message_id) DO NOTHING RETURNING id`,
      values,
    )) as Array<{ id: string }>;
    return rows[0]?.id ?? null;
  }

  private duplicate(kind: InboundKind): InboundResult {
    return { id: null, duplicate: true, kind, outcome: 'ignored', reason: 'duplicate Message-ID' };
  }

  /** Stores a message that needs nothing more done, with its outcome. */
  private async record(mail: Received, fields: InboundRowFields & { outcome: InboundOutcome }): Promise<InboundResult> {
    const id = await this.insertRow(this.dataSource.manager, mail, fields);
    if (!id) return this.duplicate(fields.kind);
    return { id, duplicate: false, kind: fields.kind, outcome: fields.outcome, reason: fields.reason ?? undefined };
  }

  /**
   * The one polite reply to mail we cannot use: only to a sender we could verify (no backscatter to
   * forged addresses), never to automatic mail, and at most one per sender per period (the outbox's
   * unique dedupe key enforces that, across processes).
   */
  private refusal(mail: Received, reason: string, to?: string): StagedMail | null {
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

  private async stageAndDispatch(manager: EntityManager, mails: Array<StagedMail | null>): Promise<string[]> {
    return this.outbox.stage(
      manager,
      mails.filter((m): m is StagedMail => m !== null),
    );
  }

  // ---------------------------------------------------------------- submissions

  private async submission(
    mail: Received,
    target: { kind: 'share' | 'resources'; slug: string },
  ): Promise<InboundResult> {
    const found = await this.communityAndMember(target.slug, mail.fromAddress);
    if (!found || !found.community.enabled) {
      return this.record(mail, { kind: 'submission', outcome: 'ignored', reason: 'community does not take mail' });
    }
    const { community, member } = found;
    const body = (mail.parsed.text ?? '').replace(/\r\n?/g, '\n').trim().slice(0, BODY_MAX);
    if (!this.addressedTo(mail, `${target.kind}+${target.slug}@${this.domain}`)) {
      // Filed where it was sent or not at all: held for the co-chairs to see, not linked to the
      // member it names, no attachments stored and nobody mailed (the sender did not write to us).
      return this.storeSubmission(mail, community, target.kind, null, body, [], {
        holdReason: 'not_addressed_here',
        reply: null,
      });
    }
    const authenticated = authenticatedEnough(mail.verdict, community.accept_dmarc_failures);

    let holdReason: string | null = null;
    let politeReason = '';
    if (!member || member.status !== 'approved') {
      holdReason = 'not_a_member';
      politeReason = `Only members of ${community.name} can share by email, from the address registered with CoP Hub.`;
    } else if (!authenticated) {
      holdReason = 'authentication_failed';
      politeReason =
        'We could not confirm that it really came from your address (its DMARC check did not pass), so it was not added. Please share it through the website instead.';
    }
    if (holdReason) {
      // Kept for the co-chairs to see, without its attachments: files from unverified senders are not
      // stored, and the claimed sender is not linked to a member account.
      return this.storeSubmission(mail, community, target.kind, null, body, [], {
        holdReason,
        reply: this.refusal(mail, politeReason),
      });
    }

    // Every attachment is checked as a web upload is, before anything is stored.
    const attachments = mail.parsed.attachments.filter((a) => !a.related);
    const limits = this.config.mailIn;
    const refuse = (reason: string) =>
      this.record(mail, {
        kind: 'submission',
        outcome: 'refused',
        reason,
        communityId: community.id,
        userId: member!.id,
      }).then(async (result) => {
        const answer = result.id ? this.refusalToMember(mail, member!, reason, result.id) : null;
        if (answer) await this.outbox.send(answer);
        return result;
      });
    if (attachments.length > limits.maxAttachments) {
      return refuse(`It had ${attachments.length} attachments; at most ${limits.maxAttachments} are accepted.`);
    }
    const tooBig = attachments.find((a) => a.size > limits.maxAttachmentBytes);
    if (tooBig) {
      return refuse(
        `The attachment "${tooBig.filename ?? 'unnamed'}" is larger than ${Math.floor(limits.maxAttachmentBytes / 1048576)} MB.`,
      );
    }
    const accepted: Array<{ file: AcceptedFile; attachment: Attachment }> = [];
    try {
      for (const attachment of attachments) {
        const file = await receiveFile(
          Readable.from(attachment.content),
          attachment.filename ?? '',
          this.storage,
          limits.maxAttachmentBytes,
          DEFAULT_ZIP_LIMITS,
        );
        accepted.push({ file, attachment });
      }
    } catch (error) {
      await Promise.all(accepted.map((a) => a.file.staged.abort()));
      if (error instanceof ResourceError) {
        const name = attachments[accepted.length]?.filename ?? 'unnamed';
        return refuse(`The attachment "${name}" was refused: ${error.message}.`);
      }
      throw error;
    }
    return this.storeSubmission(
      mail,
      community,
      target.kind,
      member!,
      body,
      accepted.map((a) => a.file),
      {
        holdReason: null,
        reply: null,
      },
    );
  }

  /** A refusal to the member, only when the message proved it came from their domain (no backscatter). */
  private refusalToMember(mail: Received, member: MemberRow, reason: string, inboundId: string): StagedMail | null {
    if (mail.automatic || !replyableSender(mail.verdict, member.email)) return null;
    return {
      to: member.email,
      template: 'mailin.refused',
      params: { subject: mail.subject, reason, inReplyTo: mail.parsed.messageId },
      dedupeKey: `mailin.refused:${inboundId}`,
    };
  }

  private async storeSubmission(
    mail: Received,
    community: CommunityRow,
    address: 'share' | 'resources',
    member: MemberRow | null,
    body: string,
    files: AcceptedFile[],
    options: { holdReason: string | null; reply: StagedMail | null },
  ): Promise<InboundResult> {
    // Files go to storage first and rows second; if the rows fail (or the message is a duplicate)
    // the files are removed again, as web uploads do.
    for (const file of files) await file.staged.commit();
    const removeFiles = () => Promise.all(files.map((f) => this.storage.remove(f.staged.key)));
    const held = options.holdReason !== null;
    let result: { id: string; submissionId: string; mailIds: string[] } | null;
    try {
      result = await this.dataSource.transaction(async (manager) => {
        // The message's row, the submission and its attachments in one statement (one round trip);
        // a Message-ID already stored makes the first insert, and so all three, insert nothing.
        const inbound = inboundValues(mail, {
          kind: 'submission',
          outcome: held ? 'held' : 'submitted',
          reason: options.holdReason,
          communityId: community.id,
          userId: member?.id ?? null,
        });
        const n = inbound.length;
        const [stored] = (await manager.query(
          `WITH inbound AS (
             INSERT INTO inbound_messages (${INBOUND_COLUMNS}) VALUES (${placeholders(1, n)})
             ON CONFLICT (message_id) DO NOTHING RETURNING id
           ), submission AS (
             INSERT INTO mail_submissions (community_id, inbound_message_id, address, sender_id, sender_address,
                                           subject, body_text, status, hold_reason, header_to, header_cc)
             SELECT $${n + 1}::uuid, inbound.id, $${n + 2}, $${n + 3}::uuid, $${n + 4}, $${n + 5}, $${n + 6},
                    $${n + 7}, $${n + 8}, $${n + 15}::text[], $${n + 16}::text[]
               FROM inbound
             RETURNING id
           ), attachments AS (
             INSERT INTO mail_submission_attachments (submission_id, community_id, position, file_name, kind,
                                                      media_type, size_bytes, sha256, storage_key)
             SELECT submission.id, $${n + 1}::uuid, f.position - 1, f.file_name, f.kind, f.media_type, f.size_bytes,
                    f.sha256, f.storage_key
               FROM submission,
                    unnest($${n + 9}::text[], $${n + 10}::text[], $${n + 11}::text[], $${n + 12}::bigint[],
                           $${n + 13}::text[], $${n + 14}::text[])
                      WITH ORDINALITY AS f(file_name, kind, media_type, size_bytes, sha256, storage_key, position)
           )
           SELECT inbound.id, submission.id AS submission_id FROM inbound, submission`,
          [
            ...inbound,
            community.id,
            address,
            member?.id ?? null,
            mail.fromAddress || mail.envelope.mailFrom.toLowerCase(),
            mail.subject,
            body,
            held ? 'held' : 'pending',
            options.holdReason,
            files.map((f) => f.fileName),
            files.map((f) => f.kind),
            files.map((f) => f.mediaType),
            files.map((f) => f.sizeBytes),
            files.map((f) => f.sha256),
            files.map((f) => f.staged.key),
            mail.headerTo,
            mail.headerCc,
          ],
        )) as Array<{ id: string; submission_id: string }>;
        if (!stored) return null;
        // Acknowledged only to a sender who proved the address (a community that accepts DMARC
        // failures queues unauthenticated mail, but does not mail whoever its From names).
        const acknowledgement: StagedMail | null =
          member && !held && replyableSender(mail.verdict, member.email)
            ? {
                to: member.email,
                template: 'mailin.received',
                params: {
                  displayName: member.display_name,
                  communityName: community.name,
                  subject: mail.subject,
                  attachments: files.map((f) => f.fileName),
                  inReplyTo: mail.parsed.messageId,
                },
                dedupeKey: `mailin.received:${stored.submission_id}`,
              }
            : null;
        const mailIds = await this.stageAndDispatch(manager, [acknowledgement, options.reply]);
        return { id: stored.id, submissionId: stored.submission_id, mailIds };
      });
    } catch (error) {
      await removeFiles();
      throw error;
    }
    if (!result) {
      await removeFiles();
      return this.duplicate('submission');
    }
    await this.outbox.dispatch(result.mailIds);
    return {
      id: result.id,
      duplicate: false,
      kind: 'submission',
      outcome: held ? 'held' : 'submitted',
      reason: options.holdReason ?? undefined,
      submissionId: result.submissionId,
    };
  }

  // ---------------------------------------------------------------- replies

  private async reply(mail: Received, token: string): Promise<InboundResult> {
    const check = await this.replyAddresses.verify(token);
    if (!check.ok) {
      const reason =
        check.reason === 'expired'
          ? 'The reply address it was sent to has expired. Please reply on the website instead.'
          : 'The address it was sent to is not a valid reply address. Please reply on the website instead.';
      return this.refuseReply(mail, reason, null);
    }
    if (!this.addressedTo(mail, `reply+${token}@${this.domain}`)) {
      // Not written to this reply address (a signed message the member sent elsewhere, re-sent here):
      // nothing is posted and nobody is answered.
      return this.refuseReply(mail, 'not_addressed_here', null, check.communityId, false);
    }
    const [user] = (await this.dataSource.query(
      'SELECT id, email, display_name FROM users WHERE id = $1 AND closed_at IS NULL',
      [check.userId],
    )) as Array<{ id: string; email: string; display_name: string }>;
    if (!user || user.email !== mail.fromAddress) {
      // A forwarded notification answered by someone else: the address is tied to its member.
      return this.refuseReply(
        mail,
        'Replies by email are accepted only from the address the notification was sent to.',
        null,
        check.communityId,
      );
    }
    // A reply is posted at once only on proof the member's mail system sent it: an aligned DMARC
    // or DKIM pass, whatever the community's "accept DMARC failures" setting (that setting is for
    // reviewed submissions; here From would be the only tie to the member, and From can be forged).
    const proven = mail.verdict.dmarc === 'pass' || mail.verdict.dkim.some((d) => d.result === 'pass' && d.aligned);
    if (!proven && mail.verdict.dmarc === 'fail' && mail.verdict.dmarcPolicy && mail.verdict.dmarcPolicy !== 'none') {
      // The member's domain asks for such mail to be rejected: it is spoofing, and nobody is asked.
      return this.refuseReply(
        mail,
        'We could not confirm that it really came from your address (its DMARC check did not pass). Please reply on the website instead.',
        null,
        check.communityId,
      );
    }
    const text = extractReplyText(mail.parsed.text ?? '');
    if (!text) {
      return this.refuseReply(mail, 'We could not find any new text in it to post.', user, check.communityId);
    }
    if (!proven) return this.awaitConfirmation(mail, user, check, text.slice(0, BODY_MAX));
    // The Message-ID and the post are written in one transaction: a second delivery of the same reply
    // waits on the unique Message-ID and then finds it taken (one post), and a crash or a lost
    // connection before the commit keeps neither, so the sender's retry posts it.
    try {
      const posted = await this.dataSource.transaction(async (manager) => {
        const id = await this.insertRow(manager, mail, {
          kind: 'reply',
          outcome: 'posted',
          communityId: check.communityId,
          userId: user.id,
        });
        if (!id) return null;
        const reply = await this.posts.replyWithin(
          manager,
          { id: user.id, isAdmin: false, sessionId: 'email' },
          check.threadId,
          { body: text.slice(0, BODY_MAX) },
        );
        return { id, postId: reply.post.id, announce: reply.announce };
      });
      if (!posted) return this.duplicate('reply');
      posted.announce();
      return { id: posted.id, duplicate: false, kind: 'reply', outcome: 'posted', postId: posted.postId };
    } catch (error) {
      // A failure (database down…) is thrown on: nothing was kept, and the sender's retry works.
      if (!(error instanceof DomainError)) throw error;
      // A refusal (locked thread, suspended member…) is recorded with the Message-ID instead.
      return this.refuseReply(mail, `It could not be posted: ${error.message}.`, user, check.communityId);
    }
  }

  /**
   * An unproven reply from the member's address: kept, and the member is asked by email (to their
   * registered address, not to whoever sent it) whether to post it. At most five such questions wait
   * per member per day, so forged replies cannot flood their inbox.
   */
  private async awaitConfirmation(
    mail: Received,
    user: { id: string; email: string; display_name: string },
    check: { communityId: string; threadId: string },
    text: string,
  ): Promise<InboundResult> {
    const hours = this.config.mailIn.replyConfirmHours;
    const result = await this.dataSource.transaction(async (manager) => {
      const waiting = await this.confirmations.waitingFor(manager, user.id);
      const capped = waiting >= 5;
      const outcome: InboundOutcome = capped ? 'reply_refused' : 'awaiting_confirmation';
      const reason = capped
        ? 'too many replies waiting for confirmation'
        : 'sender not proven; member asked to confirm';
      const id = await this.insertRow(manager, mail, {
        kind: 'reply',
        outcome,
        reason,
        communityId: check.communityId,
        userId: user.id,
      });
      if (!id) return null;
      if (capped) return { id, outcome, reason, mailIds: [] as string[] };
      const token = await this.confirmations.create(
        manager,
        { inboundMessageId: id, communityId: check.communityId, userId: user.id, threadId: check.threadId, body: text },
        hours,
      );
      const [community] = (await manager.query('SELECT name FROM communities WHERE id = $1', [
        check.communityId,
      ])) as Array<{ name: string }>;
      const mailIds = await this.stageAndDispatch(manager, [
        {
          to: user.email,
          template: 'mailin.confirm-reply',
          params: {
            displayName: user.display_name,
            subject: mail.subject,
            communityName: community?.name ?? 'CoP Hub',
            text: text.slice(0, 2000),
            url: `${this.config.publicUrl}/api/v1/mail-in/confirm-reply?token=${token}`,
            hours,
            inReplyTo: mail.parsed.messageId,
          },
          dedupeKey: `mailin.confirm-reply:${id}`,
        },
      ]);
      return { id, outcome, reason, mailIds };
    });
    if (!result) return this.duplicate('reply');
    await this.outbox.dispatch(result.mailIds);
    return { id: result.id, duplicate: false, kind: 'reply', outcome: result.outcome, reason: result.reason };
  }

  private async refuseReply(
    mail: Received,
    reason: string,
    member: { id: string; email: string; display_name: string } | null,
    communityId: string | null = null,
    answer = true,
  ): Promise<InboundResult> {
    const result = await this.dataSource.transaction(async (manager) => {
      const id = await this.insertRow(manager, mail, {
        kind: 'reply',
        outcome: 'reply_refused',
        reason,
        communityId,
        userId: member?.id ?? null,
      });
      if (!id) return null;
      const reply = !answer
        ? null
        : member
          ? this.refusalToMember(mail, { ...member, status: null }, reason, id)
          : this.refusal(mail, reason);
      return { id, mailIds: await this.stageAndDispatch(manager, [reply]) };
    });
    if (!result) return this.duplicate('reply');
    await this.outbox.dispatch(result.mailIds);
    return { id: result.id, duplicate: false, kind: 'reply', outcome: 'reply_refused', reason };
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
    const result = await this.dataSource
      .transaction(async (manager) => {
        const sent = outboxIds.length
          ? ((await manager.query(
              // Sending is marked after the relay took the message, so a quick report can arrive
              // first: the row's creation stands in for the send until then (only a message that
              // went out has its address known to anyone).
              `SELECT id, lower(recipient) AS recipient,
                      coalesce(sent_at, created_at) >= now() - make_interval(days => $2) AS recent
                 FROM mail_outbox WHERE id = ANY($1::uuid[])`,
              [outboxIds, this.config.mailIn.bounceDays],
            )) as Array<{ id: string; recipient: string; recent: boolean }>)
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
        const id = await this.insertRow(manager, mail, { kind: 'bounce', outcome, reason: reason.slice(0, 1000) });
        if (!id) throw new DuplicateRollback();
        return { id, outcome, reason };
      })
      .catch((error: unknown) => {
        if (error instanceof DuplicateRollback) return null;
        throw error;
      });
    if (!result) return this.duplicate('bounce');
    if (result.outcome === 'bounce_recorded') this.logger.log(`bounce recorded: ${result.reason}`);
    return { id: result.id, duplicate: false, kind: 'bounce', outcome: result.outcome, reason: result.reason };
  }
}

/** Rolls back a bounce's suppressions when its Message-ID was already processed. */
class DuplicateRollback extends Error {}
