import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { download, http, ok } from '../../api/http';
import { useLiveInvalidation } from '../../api/realtime';
import { useAuth } from '../../auth/auth';
import { LOCATIONS } from '../../components/labels';
import { Async, Breadcrumbs, ErrorPanel, PageHeading, SummaryList, useAsync, useNow } from '../../components/ui';
import { ItemCommunityNav } from '../communities/CommunityNav';
import { CheckInForm, ManagePanel, RsvpPanel } from './EventPanels';

export function EventPage() {
  const { id = '' } = useParams();
  const { session } = useAuth();
  const state = useAsync(['/events/*', id, session?.user.id], () =>
    ok(http.GET('/api/v1/events/{id}', { params: { path: { id } } })),
  );
  const [downloadProblem, setDownloadProblem] = useState<unknown>(null);
  const now = useNow();

  // RSVPs and edits by others change counts and times: refetch when the server says so.
  const changed = [
    ['/events/*', id],
    ['/events/*/attendees', id],
  ];
  useLiveInvalidation(session ? `event:${id}` : null, { 'event.updated': changed, 'event.rsvps': changed }, !!session);

  // A signed-out visitor on a members-only event gets 401: ErrorPanel sends them to sign in and back.
  return (
    <Async state={state} what="Loading event">
      {(event) => {
        const member = event.myRsvp !== undefined;
        const placesLeft = event.capacity === null ? null : Math.max(event.capacity - event.goingCount, 0);
        return (
          <>
            <ItemCommunityNav communityId={event.communityId} tab="Events" />
            {member && <Breadcrumbs items={[{ to: '/', label: 'Home' }]} />}
            <PageHeading title={event.title}>{event.title}</PageHeading>
            {event.status === 'cancelled' && (
              <div className="nhsuk-warning-callout">
                <h2 className="nhsuk-warning-callout__label">
                  <span role="text">
                    <span className="nhsuk-u-visually-hidden">Important: </span>
                    This event has been cancelled
                  </span>
                </h2>
                <p>It will not go ahead.</p>
              </div>
            )}
            <SummaryList
              rows={[
                ['When', event.whenText],
                ['Where', event.locationKind === 'online' ? 'Online' : event.venue || LOCATIONS[event.locationKind]],
                ...(event.joinUrl
                  ? ([
                      [
                        'Join link',
                        <a href={event.joinUrl} rel="noopener noreferrer" target="_blank">
                          {event.joinUrl} (opens in a new tab)
                        </a>,
                      ],
                    ] as Array<[string, React.ReactNode]>)
                  : []),
                // A cancelled event has no places to offer: the row would only mislead.
                ...(event.status === 'cancelled'
                  ? []
                  : ([
                      [
                        'Places',
                        event.capacity === null
                          ? `No limit (${event.goingCount} going)`
                          : `${placesLeft} of ${event.capacity} left${event.waitlistCount ? `, ${event.waitlistCount} waiting` : ''}`,
                      ],
                    ] as Array<[string, React.ReactNode]>)),
                ['CPD hours', event.cpdHours ? `${event.cpdHours}` : 'None recorded'],
                ['Who can see it', event.visibility === 'public' ? 'Anyone' : 'Community members'],
              ]}
            />
            {event.descriptionHtml && (
              <div className="cophub-prose" dangerouslySetInnerHTML={{ __html: event.descriptionHtml }} />
            )}
            <h2 className="nhsuk-heading-m">Add to your calendar</h2>
            {downloadProblem ? <ErrorPanel error={downloadProblem} /> : null}
            <button
              type="button"
              className="nhsuk-button nhsuk-button--secondary"
              onClick={() =>
                void download(
                  http.GET('/api/v1/events/{id}/event.ics', { params: { path: { id: event.id } }, parseAs: 'blob' }),
                  'event.ics',
                ).catch((e: unknown) => setDownloadProblem(e))
              }
            >
              Download calendar file (.ics)<span className="nhsuk-u-visually-hidden"> for {event.title}</span>
            </button>
            {event.addToCalendar && event.status !== 'cancelled' && (
              <ul className="nhsuk-list">
                <li>
                  <a href={event.addToCalendar.google} rel="noopener noreferrer" target="_blank">
                    Add to Google Calendar (opens in a new tab)
                  </a>
                </li>
                <li>
                  <a href={event.addToCalendar.outlook} rel="noopener noreferrer" target="_blank">
                    Add to Outlook calendar (opens in a new tab)
                  </a>
                </li>
              </ul>
            )}
            {member && <RsvpPanel event={event} />}
            {member && event.status !== 'cancelled' && new Date(event.startsAt).getTime() <= now && (
              <CheckInForm event={event} />
            )}
            {event.checkInCode !== undefined && <ManagePanel event={event} />}
          </>
        );
      }}
    </Async>
  );
}
