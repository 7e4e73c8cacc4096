import { Injectable, OnModuleInit } from '@nestjs/common';
import { Clock, PersonalDataRegistry } from '@cophub/core';
import { AttendanceRepository } from '../db/attendance.repository';
import { CpdRepository } from '../db/cpd.repository';
import { EventsRepository } from '../db/events.repository';
import { RemindersRepository } from '../db/reminders.repository';
import { RsvpsRepository } from '../db/rsvps.repository';
import { CalendarService } from '../services/calendar.service';
import { RsvpService } from '../services/rsvp.service';

/** What events hold about a person (for their export) and what closing their account means here. */
@Injectable()
export class EventAccountHooks implements OnModuleInit {
  constructor(
    private readonly events: EventsRepository,
    private readonly rsvpRows: RsvpsRepository,
    private readonly attendance: AttendanceRepository,
    private readonly cpd: CpdRepository,
    private readonly reminders: RemindersRepository,
    private readonly registry: PersonalDataRegistry,
    private readonly rsvps: RsvpService,
    private readonly calendars: CalendarService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      section: 'events',
      about: 'Your answers to event invitations, your attendance and your CPD record.',
      tables: {
        events: 'kept; an organiser who closes their account shows as "Former member"',
        event_rsvps:
          'places at future events are given back (the waitlist moves up); past answers kept for attendance figures, de-identified with the account',
        event_attendance:
          'kept for attendance figures; your reflections, learning outcomes and evidence links are erased',
        cpd_activities: 'deleted (your own CPD log)',
        event_reminder_deliveries: 'deleted',
        calendar_feed_tokens: 'deleted: your private calendar feed stops working',
      },
      parts: [
        {
          name: 'rsvps',
          about: 'Your answers to events (going, not going, waitlisted) and the reminders you chose.',
          rows: (userId) => this.rsvpRows.answersOf(userId),
        },
        {
          name: 'attendance',
          about: 'Events you attended, with the CPD hours and your reflections.',
          rows: (userId) => this.attendance.attendedBy(userId),
        },
        {
          name: 'cpdActivities',
          about: 'CPD activities you recorded yourself.',
          rows: (userId) => this.cpd.activitiesOf(userId),
        },
        {
          name: 'eventsOrganised',
          about: 'Events you created.',
          rows: (userId) => this.events.organisedBy(userId),
        },
        {
          name: 'remindersSent',
          about: 'Event reminders sent to you (when each was sent).',
          rows: (userId) => this.reminders.sentTo(userId),
        },
        {
          name: 'calendarFeed',
          about: 'Whether you have a private calendar feed, and when it was made (the address itself is secret).',
          rows: (userId) => this.attendance.feedTokenOf(userId),
        },
      ],
      // Places at future events go back (promoting the waitlist); the private feed stops working.
      close: async (userId) => {
        for (const eventId of await this.rsvpRows.upcomingOf(userId, this.clock.now())) {
          await this.rsvps.giveBack(userId, eventId);
        }
        await this.calendars.revokeFeed(userId);
        await this.attendance.eraseReflectionsOf(userId);
        await this.cpd.deleteActivitiesOf(userId);
        await this.reminders.deleteDeliveriesOf(userId);
      },
    });
  }
}
