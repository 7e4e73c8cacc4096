import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock, PersonalDataRegistry } from '@cophub/core';
import { DataSource } from 'typeorm';
import { RsvpStatus } from '../domain/enums';
import { CalendarService } from '../services/calendar.service';
import { RsvpService } from '../services/rsvp.service';

/** What events hold about a person (for their export) and what closing their account means here. */
@Injectable()
export class EventAccountHooks implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: PersonalDataRegistry,
    private readonly rsvps: RsvpService,
    private readonly calendars: CalendarService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    const db = this.dataSource;
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
          rows: (userId) =>
            db.query(
              `SELECT e.title, e.starts_at AS "startsAt", r.status, r.reminders, r.created_at AS "answeredAt"
                 FROM event_rsvps r JOIN events e ON e.id = r.event_id WHERE r.user_id = $1 ORDER BY e.starts_at`,
              [userId],
            ),
        },
        {
          name: 'attendance',
          about: 'Events you attended, with the CPD hours and your reflections.',
          rows: (userId) =>
            db.query(
              `SELECT title, starts_at AS "startsAt", cpd_hours::float AS "cpdHours", method,
                      learning_outcomes AS "learningOutcomes", reflection, evidence_url AS "evidenceUrl"
                 FROM event_attendance WHERE user_id = $1 ORDER BY starts_at`,
              [userId],
            ),
        },
        {
          name: 'cpdActivities',
          about: 'CPD activities you recorded yourself.',
          rows: (userId) =>
            db.query(
              `SELECT kind, activity, to_char(occurred_on, 'YYYY-MM-DD') AS date, hours::float AS hours,
                      learning_outcomes AS "learningOutcomes", reflection, evidence_url AS "evidenceUrl"
                 FROM cpd_activities WHERE user_id = $1 ORDER BY occurred_on`,
              [userId],
            ),
        },
        {
          name: 'eventsOrganised',
          about: 'Events you created.',
          rows: (userId) =>
            db.query(
              'SELECT id, title, starts_at AS "startsAt", created_at AS "createdAt" FROM events WHERE created_by = $1 ORDER BY starts_at',
              [userId],
            ),
        },
        {
          name: 'remindersSent',
          about: 'Event reminders sent to you (when each was sent).',
          rows: (userId) =>
            db.query(
              'SELECT created_at AS "sentAt" FROM event_reminder_deliveries WHERE user_id = $1 ORDER BY created_at',
              [userId],
            ),
        },
        {
          name: 'calendarFeed',
          about: 'Whether you have a private calendar feed, and when it was made (the address itself is secret).',
          rows: (userId) =>
            db.query('SELECT created_at AS "createdAt" FROM calendar_feed_tokens WHERE user_id = $1', [userId]),
        },
      ],
      // Places at future events go back (promoting the waitlist); the private feed stops working.
      close: async (userId) => {
        const upcoming: Array<{ event_id: string }> = await db.query(
          `SELECT r.event_id FROM event_rsvps r JOIN events e ON e.id = r.event_id
            WHERE r.user_id = $1 AND r.status IN ('going', 'waitlisted') AND e.status = 'scheduled' AND e.starts_at > $2`,
          [userId, this.clock.now()],
        );
        for (const { event_id } of upcoming)
          await this.rsvps.respond(userId, event_id, { status: RsvpStatus.NotGoing });
        await this.calendars.revokeFeed(userId);
        await db.query(
          `UPDATE event_attendance SET reflection = '', learning_outcomes = '', evidence_url = NULL, reflected_at = NULL WHERE user_id = $1`,
          [userId],
        );
        await db.query('DELETE FROM cpd_activities WHERE user_id = $1', [userId]);
        await db.query('DELETE FROM event_reminder_deliveries WHERE user_id = $1', [userId]);
      },
    });
  }
}
