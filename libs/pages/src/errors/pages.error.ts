import { HttpStatus } from '@nestjs/common';
import { defineDomainError } from '@cophub/core';

export enum PagesErrorCode {
  NotFound = 'page_not_found',
  SlugTaken = 'page_slug_taken',
  StaleRevision = 'page_stale_revision',
  RevisionNotFound = 'page_revision_not_found',
  SignInRequired = 'page_sign_in_required',
  MembersOnly = 'page_members_only',
}

export class PagesError extends defineDomainError<PagesErrorCode>('PagesError', {
  [PagesErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [PagesErrorCode.SlugTaken]: HttpStatus.CONFLICT,
  [PagesErrorCode.StaleRevision]: HttpStatus.CONFLICT,
  [PagesErrorCode.RevisionNotFound]: HttpStatus.NOT_FOUND,
  [PagesErrorCode.SignInRequired]: HttpStatus.UNAUTHORIZED,
  [PagesErrorCode.MembersOnly]: HttpStatus.FORBIDDEN,
}) {}
