import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { http, ok } from '../../api/http';
import { keys, useInvalidate } from '../../api/query';
import type { components } from '../../api/schema';
import type { CommunityStanding } from '../../api/types';
import { formatDateTime, PROFESSIONS, REGIONS, ROLES } from '../../components/labels';
import { Async, ErrorPanel, Loading, Notice, PageHeading, Tag, useAsync } from '../../components/ui';
import { isCoChair, useCommunity } from './community';

type Overview = components['schemas']['OverviewView'];
type Community = components['schemas']['CommunityView'];

const RSVP_WORDS: Record<string, string> = {
  going: 'You are going',
  waitlisted: 'You are on the waiting list',
  not_going: 'You are not going',
};

function AboutCommunity({ community }: { community: Community }) {
  return (
    <>
      {community.description && <p className="nhsuk-lede-text">{community.description}</p>}
      {(community.aims || community.audience) && (
        <dl className="nhsuk-summary-list">
          {community.aims && (
            <div className="nhsuk-summary-list__row">
              <dt className="nhsuk-summary-list__key">What it is for</dt>
              <dd className="nhsuk-summary-list__value">{community.aims}</dd>
            </div>
          )}
          {community.audience && (
            <div className="nhsuk-summary-list__row">
              <dt className="nhsuk-summary-list__key">Who it is for</dt>
              <dd className="nhsuk-summary-list__value">{community.audience}</dd>
            </div>
          )}
        </dl>
      )}
    </>
  );
}

/** The community's pages (Terms of Reference, kickstarter notes…): public ones for visitors, all for members. */
function PageLinks({ slug, canAdd }: { slug: string; canAdd: boolean }) {
  const pages = useAsync(keys.pages(slug), () =>
    ok(http.GET('/api/v1/communities/{slug}/pages', { params: { path: { slug } } })),
  );
  return (
    <section aria-labelledby="pages-heading">
      <h2 className="nhsuk-heading-m" id="pages-heading">
        About this community
      </h2>
      <Async state={pages} what="Loading pages">
        {(list) => (
          <>
            {list.items.length === 0 ? (
              <p>No pages yet.</p>
            ) : (
              <ul className="nhsuk-list">
                {list.items.map((p) => (
                  <li key={p.id}>
                    <Link to={`/c/${slug}/pages/${p.slug}`}>{p.title}</Link>
                  </li>
                ))}
              </ul>
            )}
            {canAdd && <Link to={`/c/${slug}/pages/new`}>Add a page</Link>}
          </>
        )}
      </Async>
    </section>
  );
}

function KeyContacts({ overview }: { overview: Overview }) {
  return (
    <section aria-labelledby="contacts-heading">
      <h2 className="nhsuk-heading-m" id="contacts-heading">
        Key contacts
      </h2>
      {overview.keyContacts.length === 0 ? (
        <p>No co-chair has agreed to be listed yet.</p>
      ) : (
        <ul className="nhsuk-list">
          {overview.keyContacts.map((c) => (
            <li key={c.userId}>
              <strong>{c.displayName}</strong>, {ROLES[c.role as keyof typeof ROLES] ?? c.role}
              <br />
              <span className="nhsuk-body-s">
                {PROFESSIONS[c.profession as keyof typeof PROFESSIONS] ?? c.profession}
                {c.organisation ? `, ${c.organisation}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ListMeToggle({ slug, listed }: { slug: string; listed: boolean }) {
  const invalidate = useInvalidate();
  const [notice, setNotice] = useState('');
  const listing = useMutation({
    mutationFn: (listed: boolean) =>
      ok(http.PUT('/api/v1/communities/{slug}/me/key-contact', { params: { path: { slug } }, body: { listed } })),
  });
  async function toggle() {
    await listing.mutateAsync(!listed);
    setNotice(listed ? 'You are no longer listed as a key contact.' : 'You are now listed as a key contact.');
    await invalidate(keys.overview(slug));
  }
  return (
    <>
      <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={() => void toggle()}>
        {listed ? 'Stop listing me as a key contact' : 'List me as a key contact'}
      </button>
      <Notice>{notice}</Notice>
    </>
  );
}

function WhatsNew({ slug, overview }: { slug: string; overview: Overview }) {
  const since = overview.since ? `since your last visit on ${formatDateTime(overview.since)}` : 'for you';
  return (
    <section aria-labelledby="new-heading">
      <h2 className="nhsuk-heading-m" id="new-heading">
        What is new {since}
      </h2>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-one-half">
          <h3 className="nhsuk-heading-s">Threads with unread posts</h3>
          {overview.unreadThreads.length === 0 ? (
            <p>
              You are up to date. <Link to={`/c/${slug}/latest`}>See the latest threads</Link>
            </p>
          ) : (
            <ul className="nhsuk-list nhsuk-list--border">
              {overview.unreadThreads.map((t) => (
                <li key={t.id}>
                  <Link to={`/c/${slug}/t/${t.id}${t.firstUnreadPostNumber ? `/${t.firstUnreadPostNumber}` : ''}`}>
                    {t.title}
                  </Link>{' '}
                  <Tag colour="blue">{t.unreadCount} unread</Tag>
                </li>
              ))}
            </ul>
          )}
          <h3 className="nhsuk-heading-s">Polls waiting for your answer</h3>
          {overview.pollsToAnswer.length === 0 ? (
            <p>No polls are waiting for you.</p>
          ) : (
            <ul className="nhsuk-list nhsuk-list--border">
              {overview.pollsToAnswer.map((p) => (
                <li key={p.id}>
                  <Link to={`/c/${slug}/polls/${p.id}`}>{p.title}</Link>
                  {p.closesAt && <span className="nhsuk-body-s"> · closes {formatDateTime(p.closesAt)}</span>}
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="nhsuk-grid-column-one-half">
          <h3 className="nhsuk-heading-s">Coming up</h3>
          {overview.upcomingEvents.length === 0 ? (
            <p>No upcoming events.</p>
          ) : (
            <ul className="nhsuk-list nhsuk-list--border">
              {overview.upcomingEvents.map((e) => (
                <li key={e.id}>
                  <Link to={`/events/${e.id}`}>{e.title}</Link>
                  <br />
                  <span className="nhsuk-body-s">
                    {formatDateTime(e.startsAt)} ·{' '}
                    {e.myRsvp?.status ? RSVP_WORDS[e.myRsvp.status] : 'You have not replied'}
                  </span>
                </li>
              ))}
            </ul>
          )}
          <h3 className="nhsuk-heading-s">New resources</h3>
          {overview.newResources.length === 0 ? (
            <p>No new resources.</p>
          ) : (
            <ul className="nhsuk-list nhsuk-list--border">
              {overview.newResources.map((r) => (
                <li key={r.id}>
                  <Link to={`/resources/${r.id}`}>{r.title}</Link>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </section>
  );
}

function PendingRequests({ slug }: { slug: string }) {
  const pending = useAsync(['/communities/*/members', slug, 'pending'], () =>
    ok(
      http.GET('/api/v1/communities/{slug}/members', {
        params: { path: { slug }, query: { status: 'pending', limit: 50 } },
      }),
    ),
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

function MemberOverview({ slug, standing }: { slug: string; standing: CommunityStanding }) {
  const overview = useAsync(keys.overview(slug), () =>
    ok(http.GET('/api/v1/communities/{slug}/overview', { params: { path: { slug } } })),
  );
  const coChair = isCoChair(standing);
  return (
    <>
      <PageHeading caption={REGIONS[standing.community.region]}>{standing.community.name}</PageHeading>
      <p>
        Your role: <Tag colour="green">{ROLES[standing.role]}</Tag>
      </p>
      <AboutCommunity community={standing.community} />
      {coChair && <PendingRequests slug={slug} />}
      {coChair && (
        <p>
          <Link className="nhsuk-button nhsuk-button--secondary" to={`/c/${slug}/announcements/new`}>
            Send an announcement
          </Link>
        </p>
      )}
      <Async state={overview} what="Loading what is new">
        {(o) => (
          <>
            <WhatsNew slug={slug} overview={o} />
            <div className="nhsuk-grid-row">
              <div className="nhsuk-grid-column-one-half">
                <KeyContacts overview={o} />
                {coChair && standing.role === 'co_chair' && (
                  <ListMeToggle slug={slug} listed={o.listedAsContact ?? false} />
                )}
              </div>
              <div className="nhsuk-grid-column-one-half">
                <PageLinks slug={slug} canAdd={coChair} />
                {coChair && (
                  <p>
                    <Link to={`/c/${slug}/mail-submissions`}>Review what members shared by email</Link>
                  </p>
                )}
              </div>
            </div>
          </>
        )}
      </Async>
    </>
  );
}

/** Someone who is not (yet) a member: what the community is, its public pages, and how to join. */
function VisitorOverview({ slug, pending }: { slug: string; pending: boolean }) {
  const invalidate = useInvalidate();
  const joining = useMutation({
    mutationFn: () => ok(http.POST('/api/v1/communities/{slug}/join', { params: { path: { slug } } })),
  });
  const community = useAsync(['/communities/*', slug], () =>
    ok(http.GET('/api/v1/communities/{slug}', { params: { path: { slug } } })),
  );
  const [requested, setRequested] = useState<'pending' | 'approved' | null>(pending ? 'pending' : null);
  const [problem, setProblem] = useState<unknown>(null);
  async function join() {
    try {
      const membership = await joining.mutateAsync();
      setRequested(membership.status === 'approved' ? 'approved' : 'pending');
      if (membership.status === 'approved') await invalidate(keys.community(slug));
      await invalidate(['/communities/*/me', slug]);
    } catch (error) {
      setProblem(error);
    }
  }
  return (
    <Async state={community} what="Loading the community">
      {(c) => (
        <>
          <PageHeading caption={REGIONS[c.region]}>{c.name}</PageHeading>
          <AboutCommunity community={c} />
          {requested === 'pending' ? (
            <div className="nhsuk-inset-text" role="status">
              <span className="nhsuk-u-visually-hidden">Information: </span>
              <p>
                <Tag colour="yellow">Request pending</Tag> Your request to join is waiting for a co-chair to approve it.
                We will email you when they do.
              </p>
            </div>
          ) : (
            <div className="nhsuk-card nhsuk-card--feature">
              <div className="nhsuk-card__content nhsuk-card__content--feature">
                <h2 className="nhsuk-card--feature__heading nhsuk-heading-m">Join this community</h2>
                <p>Members take part in the forum, events, polls and the resource library.</p>
                <button type="button" className="nhsuk-button" onClick={() => void join()}>
                  Ask to join {c.name}
                </button>
              </div>
            </div>
          )}
          {problem ? <ErrorPanel error={problem} /> : null}
          <PageLinks slug={slug} canAdd={false} />
        </>
      )}
    </Async>
  );
}

/** The community overview: aims, contacts and what is new for members; a join button for visitors. */
export function CommunityPage() {
  const { slug, standing } = useCommunity();
  if (standing.error instanceof ApiError && standing.error.status === 403) {
    return <VisitorOverview slug={slug} pending={standing.error.body.code === 'membership_pending'} />;
  }
  if (standing.error) return <ErrorPanel error={standing.error} />;
  if (!standing.data) return <Loading what="Loading the community" />;
  return <MemberOverview slug={slug} standing={standing.data} />;
}
