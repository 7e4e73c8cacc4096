import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { http, ok } from '../../api/http';
import type { CommunityEvent } from '../../api/types';
import { formatTime, LOCATIONS, MONTHS } from '../../components/labels';
import { Async, Breadcrumbs, PageHeading, Tag, useAsync } from '../../components/ui';
import { isCoChair, useCommunity } from '../communities/community';
import { FeedLink } from './FeedLink';

function londonToday(): { year: number; month: number } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: 'numeric' })
    .formatToParts(new Date())
    .reduce<Record<string, string>>((acc, p) => ({ ...acc, [p.type]: p.value }), {});
  return { year: Number(parts.year), month: Number(parts.month) };
}

function dayLabel(localIso: string): string {
  const [y, m, d] = localIso.slice(0, 10).split('-').map(Number);
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

export function EventStatusTags({ event }: { event: CommunityEvent }) {
  return (
    <>
      {event.status === 'cancelled' && <Tag colour="red">Cancelled</Tag>}{' '}
      {event.myRsvp?.status === 'going' && <Tag colour="green">You are going</Tag>}
      {event.myRsvp?.status === 'waitlisted' && <Tag colour="yellow">On the waiting list</Tag>}
      {event.visibility === 'public' && <Tag colour="white">Public</Tag>}
    </>
  );
}

function MonthEvents({ events }: { events: CommunityEvent[] }) {
  if (events.length === 0) return <p>No events this month.</p>;
  const days = new Map<string, CommunityEvent[]>();
  for (const event of events) {
    const day = event.startsAtLocal.slice(0, 10);
    days.set(day, [...(days.get(day) ?? []), event]);
  }
  return (
    <>
      {[...days.entries()].map(([day, list]) => (
        <section key={day} aria-labelledby={`day-${day}`}>
          <h3 className="nhsuk-heading-s" id={`day-${day}`}>
            {dayLabel(day)}
          </h3>
          <ul className="nhsuk-list nhsuk-list--border">
            {list.map((event) => (
              <li key={event.id}>
                <Link to={`/events/${event.id}`} className="nhsuk-body-l nhsuk-u-font-weight-bold">
                  {event.title}
                </Link>{' '}
                <EventStatusTags event={event} />
                <br />
                {formatTime(event.startsAt)} to {formatTime(event.endsAt)} · {LOCATIONS[event.locationKind]}
                {event.capacity !== null &&
                  event.status !== 'cancelled' &&
                  ` · ${Math.max(event.capacity - event.goingCount, 0)} of ${event.capacity} places left`}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/**
 * The month as a grid (Monday first), one row per week. It is a real table: weekday headers, and each
 * day cell starts with its date, so a screen reader hears "Tuesday 14, Kickstarter session".
 */
function MonthGrid({ year, month, events }: { year: number; month: number; events: CommunityEvent[] }) {
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const firstWeekday = (new Date(Date.UTC(year, month - 1, 1)).getUTCDay() + 6) % 7;
  const byDay = new Map<number, CommunityEvent[]>();
  for (const event of events) {
    const day = Number(event.startsAtLocal.slice(8, 10));
    byDay.set(day, [...(byDay.get(day) ?? []), event]);
  }
  const cells: Array<number | null> = [
    ...Array.from({ length: firstWeekday }, () => null),
    ...Array.from({ length: daysInMonth }, (_, i) => i + 1),
  ];
  while (cells.length % 7) cells.push(null);
  const weeks = Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
  return (
    <table className="nhsuk-table cophub-month-grid">
      <caption className="nhsuk-table__caption">
        {MONTHS[month - 1]} {year}
      </caption>
      <thead className="nhsuk-table__head">
        <tr className="nhsuk-table__row">
          {WEEKDAYS.map((day) => (
            <th key={day} scope="col" className="nhsuk-table__header">
              <abbr title={day}>{day.slice(0, 3)}</abbr>
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {weeks.map((week, w) => (
          <tr key={w} className="nhsuk-table__row">
            {week.map((day, d) => (
              <td key={d} className={`nhsuk-table__cell${day === null ? ' cophub-month-grid__empty' : ''}`}>
                {day !== null && (
                  <>
                    <span className="cophub-month-grid__date">
                      <span className="nhsuk-u-visually-hidden">{WEEKDAYS[d]} </span>
                      {day}
                    </span>
                    {(byDay.get(day) ?? []).map((event) => (
                      <span key={event.id} className="cophub-month-grid__event">
                        <Link to={`/events/${event.id}`}>{event.title}</Link>
                        <span className="nhsuk-body-s">
                          {' '}
                          {formatTime(event.startsAt)}
                          {event.status === 'cancelled' ? ' (cancelled)' : ''}
                        </span>
                      </span>
                    ))}
                  </>
                )}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function CalendarPage() {
  const { slug, standing } = useCommunity();
  const [params] = useSearchParams();
  const grid = params.get('layout') === 'grid';
  const today = londonToday();
  const year = Number(params.get('year')) || today.year;
  const monthParam = params.get('month');
  const view: 'month' | 'year' = monthParam === 'all' ? 'year' : 'month';
  const month = view === 'month' ? Number(monthParam) || (params.get('year') ? 1 : today.month) : null;
  const calendar = useAsync(['/communities/*/events/calendar', slug, year, month], () =>
    ok(
      http.GET('/api/v1/communities/{slug}/events/calendar', {
        params: { path: { slug }, query: { year, ...(month ? { month } : {}) } },
      }),
    ),
  );
  const [showFeed, setShowFeed] = useState(false);

  const prev = month ? (month === 1 ? { year: year - 1, month: 12 } : { year, month: month - 1 }) : { year: year - 1 };
  const next = month ? (month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 }) : { year: year + 1 };
  const href = (p: { year: number; month?: number }) =>
    `?year=${p.year}&month=${p.month ?? 'all'}${p.month && grid ? '&layout=grid' : ''}`;
  const label = (p: { year: number; month?: number }) => (p.month ? `${MONTHS[p.month - 1]} ${p.year}` : `${p.year}`);
  const title = month ? `${MONTHS[month - 1]} ${year}` : `${year}`;

  return (
    <>
      <Breadcrumbs
        items={[
          { to: '/communities', label: 'Communities' },
          { to: `/c/${slug}`, label: standing.data?.community.name ?? 'Community' },
        ]}
      />
      <PageHeading title={`Events: ${title}`} caption={standing.data?.community.name}>
        Events: {title}
      </PageHeading>
      <div className="cophub-actions nhsuk-u-margin-bottom-4">
        {standing.data && isCoChair(standing.data) && (
          <Link className="nhsuk-button" to={`/c/${slug}/events/new`}>
            Create an event
          </Link>
        )}
        {month && (
          <Link to={grid ? `?year=${year}&month=${month}` : `?year=${year}&month=${month}&layout=grid`}>
            {grid ? 'Show as a list' : 'Show as a month grid'}
          </Link>
        )}
        {month ? (
          <Link to={`?year=${year}&month=all`}>Show the whole of {year}</Link>
        ) : (
          <Link to={`?year=${year}&month=${today.year === year ? today.month : 1}`}>Show one month at a time</Link>
        )}
      </div>
      <nav className="cophub-month-nav" aria-label={month ? 'Months' : 'Years'}>
        <Link to={href(prev)}>
          <span aria-hidden="true">← </span>
          {label(prev)}
          <span className="nhsuk-u-visually-hidden"> (previous)</span>
        </Link>
        <Link to={href(next)}>
          {label(next)}
          <span className="nhsuk-u-visually-hidden"> (next)</span>
          <span aria-hidden="true"> →</span>
        </Link>
      </nav>
      <Async state={calendar} what="Loading the calendar">
        {(data) =>
          month && grid ? (
            <MonthGrid year={year} month={month} events={data.months.flatMap((m) => m.events)} />
          ) : month ? (
            <MonthEvents events={data.months.flatMap((m) => m.events)} />
          ) : (
            <>
              {MONTHS.map((name, index) => {
                const events = data.months.find((m) => m.month === index + 1)?.events ?? [];
                return (
                  <section key={name} aria-labelledby={`month-${index + 1}`}>
                    <h2 className="nhsuk-heading-m" id={`month-${index + 1}`}>
                      <Link to={`?year=${year}&month=${index + 1}`}>
                        {name} {year}
                      </Link>
                    </h2>
                    {events.length === 0 ? <p className="nhsuk-body-s">No events.</p> : <MonthEvents events={events} />}
                  </section>
                );
              })}
            </>
          )
        }
      </Async>
      <h2 className="nhsuk-heading-m">Add events to your own calendar</h2>
      {showFeed ? (
        <FeedLink />
      ) : (
        <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={() => setShowFeed(true)}>
          Get my calendar feed link
        </button>
      )}
    </>
  );
}
