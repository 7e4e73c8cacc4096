import { Injectable, OnModuleInit } from '@nestjs/common';
import { PersonalDataRegistry } from '@cophub/core';
import { MailInAccountRepository } from '../db/mail-in-account.repository';

/**
 * Mail a person sent to CoP Hub (shares, resources, replies, bounces): the record of each message and its review.
 * Closing deletes the raw messages they sent and blanks their addresses in the record; submissions still waiting
 * for review are declined with their text removed. What was published lives on as a thread or resource.
 */
@Injectable()
export class MailInAccountHooks implements OnModuleInit {
  constructor(
    private readonly account: MailInAccountRepository,
    private readonly registry: PersonalDataRegistry,
  ) {}

  onModuleInit(): void {
    const account = this.account;
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
          rows: (userId) => account.messages(userId),
        },
        {
          name: 'submissions',
          about: "Emails you sent to a community's share or resources address, with the review decision.",
          rows: (userId) => account.submissions(userId),
        },
        {
          name: 'repliesAwaitingConfirmation',
          about:
            'Replies by email that could not be proved to come from you, waiting for you to confirm them with the link we sent.',
          rows: (userId) => account.repliesAwaitingConfirmation(userId),
        },
      ],
      close: (userId) => account.close(userId),
    });
  }
}
