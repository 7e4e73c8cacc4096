import { HttpStatus } from '@nestjs/common';
import { defineDomainError } from '@cophub/core';

export enum PollErrorCode {
  NotFound = 'poll_not_found',
  NotInAudience = 'not_in_audience',
  ManagerRequired = 'poll_manager_required',
  NotOpen = 'poll_not_open',
  AlreadyResponded = 'already_responded',
  InvalidAnswers = 'invalid_answers',
  InvalidPoll = 'invalid_poll',
  InvalidTransition = 'invalid_poll_transition',
  NotEditable = 'poll_not_editable',
  ResultsHidden = 'results_hidden',
  NamedOnly = 'named_poll_only',
  ReminderTooSoon = 'reminder_too_soon',
  AudienceOverlap = 'poll_audience_overlap',
}

export class PollError extends defineDomainError<PollErrorCode>('PollError', {
  [PollErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [PollErrorCode.NotInAudience]: HttpStatus.FORBIDDEN,
  [PollErrorCode.ManagerRequired]: HttpStatus.FORBIDDEN,
  [PollErrorCode.NotOpen]: HttpStatus.CONFLICT,
  [PollErrorCode.AlreadyResponded]: HttpStatus.CONFLICT,
  [PollErrorCode.InvalidAnswers]: HttpStatus.BAD_REQUEST,
  [PollErrorCode.InvalidPoll]: HttpStatus.BAD_REQUEST,
  [PollErrorCode.InvalidTransition]: HttpStatus.CONFLICT,
  [PollErrorCode.NotEditable]: HttpStatus.CONFLICT,
  [PollErrorCode.ResultsHidden]: HttpStatus.FORBIDDEN,
  [PollErrorCode.NamedOnly]: HttpStatus.BAD_REQUEST,
  [PollErrorCode.ReminderTooSoon]: HttpStatus.TOO_MANY_REQUESTS,
  [PollErrorCode.AudienceOverlap]: HttpStatus.CONFLICT,
}) {
  /** Sent as `Retry-After` by the global filter (a reminder asked for during the cooldown). */
  retryAfterSeconds?: number;
}
