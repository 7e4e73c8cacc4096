import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock } from '@cophub/core';
import { AccountService } from '@cophub/identity';
import { DataSource } from 'typeorm';
import { RsvpStatus } from '../entities/enums';
import { CalendarService } from '../calendar/calendar.service';
import { RsvpService } from './rsvp.service';

/** What events hold about a person (for their export) and what closing their account means here. */
@Injectable()
export class EventAccountHooks implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: AccountService,
    private readonly rsvps: RsvpService,
    private readonly calendars: CalendarService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.accounts.registerExporter('events', async (userId) => ({
      rsvps: await this.dataSource.query(
        `SELECT e.title, e.starts_at AS "startsAt", r.status, r.reminders, r.created_at AS "answeredAt"
           FROM event_rsvps r JOIN events e ON e.id = r.event_id WHERE r.user_id = $1 ORDER BY e.starts_at`,
        [userId],
      ),
      attendance: await this.dataSource.query(
        `SELECT title, starts_at AS "startsAt", cpd_hours::float AS "cpdHours", method,
                learning_outcomes AS "learningOutcomes", reflection, evidence_url AS "evidenceUrl"
           FROM event_attendance WHERE user_id = $1 ORDER BY starts_at`,
        [userId],
      ),
      cpdActivities: await this.dataSource.query(
        `SELECT kind, activity, to_char(occurred_on, 'YYYY-MM-DD') AS date, hours::float AS hours,
                learning_outcomes AS "learningOutcomes", reflection, evidence_url AS "evidenceUrl"
           FROM cpd_activities WHERE user_id = $1 ORDER BY occurred_on`,
        [userId],
      ),
    }));
    // Places at future events go back (promoting the waitlist); the private feed stops working.
    this.accounts.registerCloser('events', async (userId) => {
      const upcoming: Array<{ event_id: string }> = await this.dataSource.query(
        `SELECT r.event_id FROM event_rsvps r JOIN events e ON e.id = r.event_id
          WHERE r.user_id = $1 AND r.status IN ('going', 'waitlisted') AND e.status = 'scheduled' AND e.starts_at > $2`,
        [userId, this.clock.now()],
      );
      for (const { event_id } of upcoming) await this.rsvps.respond(userId, event_id, { status: RsvpStatus.NotGoing });
      await this.calendars.revokeFeed(userId);
    });
  }
}
