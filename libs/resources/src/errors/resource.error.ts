import { HttpStatus } from '@nestjs/common';
import { defineDomainError } from '@cophub/core';

export enum ResourceErrorCode {
  NotFound = 'resource_not_found',
  VersionNotFound = 'version_not_found',
  ContributorRequired = 'contributor_required',
  BadUpload = 'bad_upload',
  InvalidFileName = 'invalid_file_name',
  UnsupportedType = 'unsupported_file_type',
  TooLarge = 'file_too_large',
  NotAFile = 'not_a_file',
  Archived = 'resource_archived',
  RangeNotSatisfiable = 'range_not_satisfiable',
  UserNotMember = 'user_not_member',
  EventNotFound = 'event_not_found',
}

export class ResourceError extends defineDomainError<ResourceErrorCode>('ResourceError', {
  [ResourceErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [ResourceErrorCode.VersionNotFound]: HttpStatus.NOT_FOUND,
  [ResourceErrorCode.ContributorRequired]: HttpStatus.FORBIDDEN,
  [ResourceErrorCode.BadUpload]: HttpStatus.BAD_REQUEST,
  [ResourceErrorCode.InvalidFileName]: HttpStatus.BAD_REQUEST,
  [ResourceErrorCode.UnsupportedType]: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  [ResourceErrorCode.TooLarge]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ResourceErrorCode.NotAFile]: HttpStatus.CONFLICT,
  [ResourceErrorCode.Archived]: HttpStatus.CONFLICT,
  [ResourceErrorCode.RangeNotSatisfiable]: HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
  [ResourceErrorCode.UserNotMember]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ResourceErrorCode.EventNotFound]: HttpStatus.BAD_REQUEST,
}) {}
