import { Link } from 'react-router-dom';
import { api, seg } from '../../api/client';
import type { CommunityEvent, Member, Page } from '../../api/types';
import { formatDateTime, REGIONS, ROLES } from '../../components/labels';
import { Async, Breadcrumbs, PageHeading, Tag, useAsync } from '../../components/ui';
import { isCoChair, useCommunity } from './community';

function Section({ to, title, description }: { to: string; title: string; description: string }) {
  return (
    <li className="nhsuk-grid-column-one-half nhsuk-card-group__item">
      <div className="nhsuk-card nhsuk-card--clickable">
        <div className="nhsuk-card__content">
          <h2 className="nhsuk-card__heading nhsuk-heading-m">
            <Link className="nhsuk-card__link" to={to}>
              {title}
            </Link>
          </h2>
          <p className="nhsuk-card__description">{description}</p>
        </div>
      </div>
    </li>
  );
}

function PendingRequests({ slug }: { slug: string }) {
  const pending = useAsync(
    () => api.get<Page<Member>>(`/communities/${seg(slug)}/members?status=pending&limit=50`),
    [slug],
  );
  const count = pending.data?.items.length ?? 0;
  if (!count) return null;
  return (
    <div className="nhsuk-inset-text">
      <span className="nhsuk-u-visually-hidden">Information: </span>
      <p>
        {count} {count === 1 ? 'person is' : 'people are'} waiting to join.{' '}
        <Link to={`/c/${slug}/members?status=pending`}>Review membership requests</Link>
      </p>
    </div>
  );
}

function Upcoming({ slug }: { slug: string }) {
  const events = useAsync(() => api.get<Page<CommunityEvent>>(`/communities/${seg(slug)}/events?limit=3`), [slug]);
  return (
    <Async state={events} what="Loading events">
      {(page) =>
        page.items.length === 0 ? (
          <p>No upcoming events.</p>
        ) : (
          <ul className="nhsuk-list nhsuk-list--border">
            {page.items.map((e) => (
              <li key={e.id}>
                <Link to={`/events/${e.id}`}>{e.title}</Link>
                <br />
                <span className="nhsuk-body-s">{formatDateTime(e.startsAt)}</span>
              </li>
            ))}
          </ul>
        )
      }
    </Async>
  );
}

export function CommunityPage() {
  const { slug, standing } = useCommunity();
  return (
    <>
      <Breadcrumbs
        items={[
          { to: '/', label: 'Home' },
          { to: '/communities', label: 'Communities' },
        ]}
      />
      <Async state={standing} what="Loading community">
        {(s) => (
          <>
            <PageHeading caption={REGIONS[s.community.region]}>{s.community.name}</PageHeading>
            <p>
              Your role: <Tag colour="green">{ROLES[s.role]}</Tag>
            </p>
            {s.community.description && <p className="nhsuk-lede-text">{s.community.description}</p>}
            {isCoChair(s) && <PendingRequests slug={slug} />}
            <ul className="nhsuk-grid-row nhsuk-card-group">
              <Section
                to={`/c/${slug}/events`}
                title="Events"
                description="Meetings, kickstarters and national events"
              />
              <Section
                to={`/c/${slug}/resources`}
                title="Resources"
                description="Terms of reference, notes and guides"
              />
              <Section to={`/c/${slug}/search`} title="Search" description="Find anything in this community" />
              <Section to={`/c/${slug}/members`} title="Members" description="Who is in this community" />
              {isCoChair(s) && (
                <Section
                  to={`/c/${slug}/mail-submissions`}
                  title="Shared by email"
                  description="Review what members emailed in"
                />
              )}
            </ul>
            <h2 className="nhsuk-heading-m">Coming up</h2>
            <Upcoming slug={slug} />
          </>
        )}
      </Async>
    </>
  );
}
