import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, DomainError, SqlPort } from '@cophub/core';
import { PostService, ReplyAddressService } from '@cophub/forum';
import { MailOutboxService } from '@cophub/mail';
import { InboundRepository, MailUserRow } from '../db/inbound.repository';
import { extractReplyText } from '../domain/reply-text';
import { BODY_MAX, InboundOutcome, InboundResult, Received } from './inbound-mail.types';
import { InboundRecorder } from './inbound-recorder';
import { ReplyConfirmationService } from './reply-confirmation.service';

/** Mail to a notification's reply address: posted to its thread, held for the member to confirm, or refused. */
@Injectable()
export class InboundReplies {
  constructor(
    private readonly sql: SqlPort,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly inbound: InboundRepository,
    private readonly recorder: InboundRecorder,
    private readonly outbox: MailOutboxService,
    private readonly posts: PostService,
    private readonly replyAddresses: ReplyAddressService,
    private readonly confirmations: ReplyConfirmationService,
  ) {}

  async reply(mail: Received, token: string): Promise<InboundResult> {
    const check = await this.replyAddresses.verify(token);
    if (!check.ok) {
      const reason =
        check.reason === 'expired'
          ? 'The reply address it was sent to has expired. Please reply on the website instead.'
          : 'The address it was sent to is not a valid reply address. Please reply on the website instead.';
      return this.refuseReply(mail, reason, null);
    }
    if (!this.recorder.addressedTo(mail, `reply+${token}@${this.recorder.domain}`)) {
      // Not written to this reply address (a signed message the member sent elsewhere, re-sent here):
      // nothing is posted and nobody is answered.
      return this.refuseReply(mail, 'not_addressed_here', null, check.communityId, false);
    }
    const user = await this.inbound.openUser(check.userId);
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
      const posted = await this.sql.transaction(async (tx, manager) => {
        const id = await this.recorder.insertRow(
          mail,
          { kind: 'reply', outcome: 'posted', communityId: check.communityId, userId: user.id },
          tx,
        );
        if (!id) return null;
        const reply = await this.posts.replyWithin(
          manager,
          { id: user.id, isAdmin: false, sessionId: 'email' },
          check.threadId,
          { body: text.slice(0, BODY_MAX) },
        );
        return { id, postId: reply.post.id, announce: reply.announce };
      });
      if (!posted) return this.recorder.duplicate('reply');
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
    user: MailUserRow,
    check: { communityId: string; threadId: string },
    text: string,
  ): Promise<InboundResult> {
    const hours = this.config.mailIn.replyConfirmHours;
    const result = await this.sql.transaction(async (tx, manager) => {
      const waiting = await this.confirmations.waitingFor(tx, user.id);
      const capped = waiting >= 5;
      const outcome: InboundOutcome = capped ? 'reply_refused' : 'awaiting_confirmation';
      const reason = capped
        ? 'too many replies waiting for confirmation'
        : 'sender not proven; member asked to confirm';
      const id = await this.recorder.insertRow(
        mail,
        { kind: 'reply', outcome, reason, communityId: check.communityId, userId: user.id },
        tx,
      );
      if (!id) return null;
      if (capped) return { id, outcome, reason, mailIds: [] as string[] };
      const token = await this.confirmations.create(
        tx,
        { inboundMessageId: id, communityId: check.communityId, userId: user.id, threadId: check.threadId, body: text },
        hours,
      );
      const communityName = await this.inbound.communityName(tx, check.communityId);
      const mailIds = await this.recorder.stage(manager, [
        {
          to: user.email,
          template: 'mailin.confirm-reply',
          params: {
            displayName: user.displayName,
            subject: mail.subject,
            communityName: communityName ?? 'CoP Hub',
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
    if (!result) return this.recorder.duplicate('reply');
    await this.outbox.dispatch(result.mailIds);
    return { id: result.id, duplicate: false, kind: 'reply', outcome: result.outcome, reason: result.reason };
  }

  private async refuseReply(
    mail: Received,
    reason: string,
    member: MailUserRow | null,
    communityId: string | null = null,
    answer = true,
  ): Promise<InboundResult> {
    const result = await this.sql.transaction(async (tx, manager) => {
      const id = await this.recorder.insertRow(
        mail,
        { kind: 'reply', outcome: 'reply_refused', reason, communityId, userId: member?.id ?? null },
        tx,
      );
      if (!id) return null;
      const reply = !answer
        ? null
        : member
          ? this.recorder.refusalToMember(mail, member, reason, id)
          : this.recorder.refusal(mail, reason);
      return { id, mailIds: await this.recorder.stage(manager, [reply]) };
    });
    if (!result) return this.recorder.duplicate('reply');
    await this.outbox.dispatch(result.mailIds);
    return { id: result.id, duplicate: false, kind: 'reply', outcome: 'reply_refused', reason };
  }
}
