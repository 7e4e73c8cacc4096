import { Inject, Injectable } from '@nestjs/common';
import { Attachment } from 'mailparser';
import { Readable } from 'node:stream';
import { APP_CONFIG, AppConfig, SqlPort } from '@cophub/core';
import { MailOutboxService, StagedMail } from '@cophub/mail';
import {
  AcceptedFile,
  DEFAULT_ZIP_LIMITS,
  FILE_STORAGE,
  FileStorage,
  receiveFile,
  ResourceError,
} from '@cophub/resources';
import { InboundRepository, MailCommunityRow, MailMemberRow } from '../db/inbound.repository';
import { BODY_MAX, inboundValues, InboundResult, Received } from './inbound-mail.types';
import { InboundRecorder } from './inbound-recorder';
import { authenticatedEnough, replyableSender } from './sender-authentication';

/** Mail to a community's share or resources address: filed for the co-chairs' review queue, or held, or refused. */
@Injectable()
export class InboundSubmissions {
  constructor(
    private readonly sql: SqlPort,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    private readonly inbound: InboundRepository,
    private readonly recorder: InboundRecorder,
    private readonly outbox: MailOutboxService,
  ) {}

  async submission(mail: Received, target: { kind: 'share' | 'resources'; slug: string }): Promise<InboundResult> {
    const found = await this.inbound.communityAndMember(target.slug, mail.fromAddress);
    if (!found || !found.community.enabled) {
      return this.recorder.record(mail, {
        kind: 'submission',
        outcome: 'ignored',
        reason: 'community does not take mail',
      });
    }
    const { community, member } = found;
    const body = (mail.parsed.text ?? '').replace(/\r\n?/g, '\n').trim().slice(0, BODY_MAX);
    if (!this.recorder.addressedTo(mail, `${target.kind}+${target.slug}@${this.recorder.domain}`)) {
      // Filed where it was sent or not at all: held for the co-chairs to see, not linked to the
      // member it names, no attachments stored and nobody mailed (the sender did not write to us).
      return this.storeSubmission(mail, community, target.kind, null, body, [], {
        holdReason: 'not_addressed_here',
        reply: null,
      });
    }
    const authenticated = authenticatedEnough(mail.verdict, community.acceptDmarcFailures);

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
        reply: this.recorder.refusal(mail, politeReason),
      });
    }

    // Every attachment is checked as a web upload is, before anything is stored.
    const attachments = mail.parsed.attachments.filter((a) => !a.related);
    const limits = this.config.mailIn;
    const refuse = (reason: string) =>
      this.recorder
        .record(mail, {
          kind: 'submission',
          outcome: 'refused',
          reason,
          communityId: community.id,
          userId: member!.id,
        })
        .then(async (result) => {
          const answer = result.id ? this.recorder.refusalToMember(mail, member!, reason, result.id) : null;
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

  private async storeSubmission(
    mail: Received,
    community: MailCommunityRow,
    address: 'share' | 'resources',
    member: MailMemberRow | null,
    body: string,
    files: AcceptedFile[],
    options: { holdReason: string | null; reply: StagedMail | null },
  ): Promise<InboundResult> {
    // Files go to storage first and rows second; if the rows fail (or the message is a duplicate)
    // the files are removed again, as web uploads do. A store that is down fails the message
    // temporarily (451 / 503: the sender retries) before any row is written, leaving no object.
    const removeFiles = () => Promise.all(files.map((f) => this.storage.remove(f.staged.key).catch(() => undefined)));
    try {
      for (const file of files) await file.staged.commit(file.sha256);
    } catch (error) {
      await Promise.all(files.map((f) => f.staged.abort()));
      await removeFiles();
      throw error;
    }
    const held = options.holdReason !== null;
    let result: { id: string; submissionId: string; mailIds: string[] } | null;
    try {
      result = await this.sql.transaction(async (tx, manager) => {
        const inbound = inboundValues(mail, {
          kind: 'submission',
          outcome: held ? 'held' : 'submitted',
          reason: options.holdReason,
          communityId: community.id,
          userId: member?.id ?? null,
        });
        const stored = await this.inbound.insertSubmission(tx, inbound, {
          communityId: community.id,
          address,
          senderId: member?.id ?? null,
          senderAddress: mail.fromAddress || mail.envelope.mailFrom.toLowerCase(),
          subject: mail.subject,
          body,
          status: held ? 'held' : 'pending',
          holdReason: options.holdReason,
          files: files.map((f) => ({
            fileName: f.fileName,
            kind: f.kind,
            mediaType: f.mediaType,
            sizeBytes: f.sizeBytes,
            sha256: f.sha256,
            storageKey: f.staged.key,
          })),
          headerTo: mail.headerTo,
          headerCc: mail.headerCc,
        });
        if (!stored) return null;
        // Acknowledged only to a sender who proved the address (a community that accepts DMARC
        // failures queues unauthenticated mail, but does not mail whoever its From names).
        const acknowledgement: StagedMail | null =
          member && !held && replyableSender(mail.verdict, member.email)
            ? {
                to: member.email,
                template: 'mailin.received',
                params: {
                  displayName: member.displayName,
                  communityName: community.name,
                  subject: mail.subject,
                  attachments: files.map((f) => f.fileName),
                  inReplyTo: mail.parsed.messageId,
                },
                dedupeKey: `mailin.received:${stored.submissionId}`,
              }
            : null;
        const mailIds = await this.recorder.stage(manager, [acknowledgement, options.reply]);
        return { id: stored.id, submissionId: stored.submissionId, mailIds };
      });
    } catch (error) {
      await removeFiles();
      throw error;
    }
    if (!result) {
      await removeFiles();
      return this.recorder.duplicate('submission');
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
}
