import { HttpStatus } from '@nestjs/common';
import { defineDomainError } from '@cophub/core';

export enum EventsErrorCode {
  NotFound = 'event_not_found',
  InvalidTimes = 'invalid_times',
  InvalidLocation = 'invalid_location',
  CapacityBelowAttendees = 'capacity_below_attendees',
  Cancelled = 'event_cancelled',
  Started = 'event_started',
  RsvpClosed = 'rsvp_closed',
  InvalidCheckInCode = 'invalid_check_in_code',
  CheckInClosed = 'check_in_closed',
  AttendanceTooEarly = 'attendance_too_early',
  NotMembers = 'not_members',
  FeedNotFound = 'feed_not_found',
  CpdEntryNotFound = 'cpd_entry_not_found',
  InvalidCpdEntry = 'invalid_cpd_entry',
}

export class EventsError extends defineDomainError<EventsErrorCode>('EventsError', {
  [EventsErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [EventsErrorCode.InvalidTimes]: HttpStatus.BAD_REQUEST,
  [EventsErrorCode.InvalidLocation]: HttpStatus.BAD_REQUEST,
  [EventsErrorCode.CapacityBelowAttendees]: HttpStatus.CONFLICT,
  [EventsErrorCode.Cancelled]: HttpStatus.CONFLICT,
  [EventsErrorCode.Started]: HttpStatus.CONFLICT,
  [EventsErrorCode.RsvpClosed]: HttpStatus.CONFLICT,
  [EventsErrorCode.InvalidCheckInCode]: HttpStatus.BAD_REQUEST,
  [EventsErrorCode.CheckInClosed]: HttpStatus.CONFLICT,
  [EventsErrorCode.AttendanceTooEarly]: HttpStatus.CONFLICT,
  [EventsErrorCode.NotMembers]: HttpStatus.BAD_REQUEST,
  [EventsErrorCode.FeedNotFound]: HttpStatus.NOT_FOUND,
  [EventsErrorCode.CpdEntryNotFound]: HttpStatus.NOT_FOUND,
  [EventsErrorCode.InvalidCpdEntry]: HttpStatus.BAD_REQUEST,
}) {}
