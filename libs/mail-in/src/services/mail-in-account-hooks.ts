import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PersonalDataRegistry } from '@cophub/core';
import { DataSource } from 'typeorm';

/**
 * Mail a person sent to CoP Hub (shares, resources, replies, bounces): the record of each message and its review.
 * Closing deletes the raw messages they sent and blanks their addresses in the record; submissions still waiting
 * for review are declined with their text removed. What was published lives on as a thread or resource.
 */
@Injectable()
export class MailInAccountHooks implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: PersonalDataRegistry,
  ) {}

  onModuleInit(): void {
    const db = this.dataSource;
    this.registry.register({
      section: 'inboundMail',
      about: 'Email you sent to CoP Hub addresses (sharing, resources, replies), and how each was handled.',
      tables: {
        inbound_messages:
          'the raw message is deleted at once (otherwise after MAIL_IN_RAW_RETENTION_DAYS); the sender and envelope addresses, the client address and the authentication details are blanked',
        mail_submissions:
          "submissions waiting for review are declined and their subject and text removed; reviewed ones keep only the decision, with the sender's address and the original To and Cc blanked",
        mail_reply_confirmations: "deleted: replies waiting for the member's confirmation are never posted",
      },
      parts: [
        {
          name: 'messages',
          about: 'Messages CoP Hub received from you: when, to which address, what it made of them.',
          rows: (userId) =>
            db.query(
              `SELECT id, received_at AS "receivedAt", kind, outcome, reason, subject, envelope_to AS "sentTo",
                      from_address AS "from", (raw IS NOT NULL) AS "rawMessageKept"
                 FROM inbound_messages WHERE user_id = $1 ORDER BY received_at, id`,
              [userId],
            ),
        },
        {
          name: 'submissions',
          about: "Emails you sent to a community's share or resources address, with the review decision.",
          rows: (userId) =>
            db.query(
              `SELECT s.id, c.slug AS community, s.address, s.subject, s.body_text AS text, s.status,
                      s.decision_note AS "decisionNote", s.created_at AS "receivedAt", s.decided_at AS "decidedAt"
                 FROM mail_submissions s JOIN communities c ON c.id = s.community_id
                WHERE s.sender_id = $1 ORDER BY s.created_at, s.id`,
              [userId],
            ),
        },
        {
          name: 'repliesAwaitingConfirmation',
          about:
            'Replies by email that could not be proved to come from you, waiting for you to confirm them with the link we sent.',
          rows: (userId) =>
            db.query(
              `SELECT thread_id AS "threadId", body AS text, created_at AS "receivedAt", expires_at AS "expiresAt",
                      used_at AS "confirmedAt"
                 FROM mail_reply_confirmations WHERE user_id = $1 ORDER BY created_at, id`,
              [userId],
            ),
        },
      ],
      close: async (userId) => {
        await db.query(
          `UPDATE mail_submissions SET status = 'declined', decision_note = 'The sender closed their account',
                  decided_at = now(), subject = '', body_text = ''
            WHERE sender_id = $1 AND status IN ('pending', 'held')`,
          [userId],
        );
        await db.query(
          `UPDATE mail_submissions SET sender_address = '', header_to = '{}', header_cc = '{}' WHERE sender_id = $1`,
          [userId],
        );
        await db.query('DELETE FROM mail_reply_confirmations WHERE user_id = $1', [userId]);
        await db.query(
          `UPDATE inbound_messages SET raw = NULL, raw_deleted_at = coalesce(raw_deleted_at, now()),
                  from_address = '', envelope_from = '', remote_ip = NULL, helo = NULL,
                  auth = jsonb_build_object('removed', 'the sender closed their account')
            WHERE user_id = $1`,
          [userId],
        );
      },
    });
  }
}
