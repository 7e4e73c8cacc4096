import { HttpStatus } from '@nestjs/common';
import { defineDomainError } from '@cophub/core';

export enum MailInErrorCode {
  SubmissionNotFound = 'submission_not_found',
  AlreadyDecided = 'submission_already_decided',
  NothingToPublish = 'submission_nothing_to_publish',
  MessageTooLarge = 'message_too_large',
  NotConfigured = 'mail_in_not_configured',
  ConfirmationInvalid = 'reply_confirmation_invalid',
  ConfirmationUsed = 'reply_confirmation_used',
  ConfirmationExpired = 'reply_confirmation_expired',
}

export class MailInError extends defineDomainError<MailInErrorCode>('MailInError', {
  [MailInErrorCode.SubmissionNotFound]: HttpStatus.NOT_FOUND,
  [MailInErrorCode.AlreadyDecided]: HttpStatus.CONFLICT,
  [MailInErrorCode.NothingToPublish]: HttpStatus.UNPROCESSABLE_ENTITY,
  [MailInErrorCode.MessageTooLarge]: HttpStatus.PAYLOAD_TOO_LARGE,
  [MailInErrorCode.NotConfigured]: HttpStatus.NOT_FOUND,
  [MailInErrorCode.ConfirmationInvalid]: HttpStatus.BAD_REQUEST,
  [MailInErrorCode.ConfirmationUsed]: HttpStatus.CONFLICT,
  [MailInErrorCode.ConfirmationExpired]: HttpStatus.GONE,
}) {}

/**
 * A message refused for good (the SMTP answer is 5xx, the webhook's 4xx): the sender's server
 * must not retry. Anything else thrown while receiving is temporary (451 / 503) and is retried.
 */
export class PermanentRefusal extends Error {
  constructor(
    message: string,
    readonly smtpCode = 550,
  ) {
    super(message);
    this.name = 'PermanentRefusal';
  }
}
