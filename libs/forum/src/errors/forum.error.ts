import { HttpStatus } from '@nestjs/common';
import { defineDomainError } from '@cophub/core';

export enum ForumErrorCode {
  CategoryNotFound = 'category_not_found',
  ThreadNotFound = 'thread_not_found',
  PostNotFound = 'post_not_found',
  FlagNotFound = 'flag_not_found',
  CategoryNameTaken = 'category_name_taken',
  CategoryNotEmpty = 'category_not_empty',
  CategoryRestricted = 'category_restricted',
  ThreadLocked = 'thread_locked',
  NotAuthor = 'not_author',
  ModeratorRequired = 'moderator_required',
  PostDeleted = 'post_deleted',
  VersionConflict = 'version_conflict',
  EmptyPost = 'empty_post',
  PostTooLong = 'post_too_long',
  InvalidQuote = 'invalid_quote',
  AlreadyFlagged = 'already_flagged',
  FlagResolved = 'flag_resolved',
}

export class ForumError extends defineDomainError<ForumErrorCode>('ForumError', {
  [ForumErrorCode.CategoryNotFound]: HttpStatus.NOT_FOUND,
  [ForumErrorCode.ThreadNotFound]: HttpStatus.NOT_FOUND,
  [ForumErrorCode.PostNotFound]: HttpStatus.NOT_FOUND,
  [ForumErrorCode.FlagNotFound]: HttpStatus.NOT_FOUND,
  [ForumErrorCode.CategoryNameTaken]: HttpStatus.CONFLICT,
  [ForumErrorCode.CategoryNotEmpty]: HttpStatus.CONFLICT,
  [ForumErrorCode.CategoryRestricted]: HttpStatus.FORBIDDEN,
  [ForumErrorCode.ThreadLocked]: HttpStatus.FORBIDDEN,
  [ForumErrorCode.NotAuthor]: HttpStatus.FORBIDDEN,
  [ForumErrorCode.ModeratorRequired]: HttpStatus.FORBIDDEN,
  [ForumErrorCode.PostDeleted]: HttpStatus.CONFLICT,
  [ForumErrorCode.VersionConflict]: HttpStatus.CONFLICT,
  [ForumErrorCode.EmptyPost]: HttpStatus.BAD_REQUEST,
  [ForumErrorCode.PostTooLong]: HttpStatus.BAD_REQUEST,
  [ForumErrorCode.InvalidQuote]: HttpStatus.BAD_REQUEST,
  [ForumErrorCode.AlreadyFlagged]: HttpStatus.CONFLICT,
  [ForumErrorCode.FlagResolved]: HttpStatus.CONFLICT,
}) {}
