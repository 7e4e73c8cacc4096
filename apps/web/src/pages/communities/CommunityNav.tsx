import { Link, Outlet, useLocation, useParams } from 'react-router-dom';
import { useAuth } from '../../auth/auth';
import { isModerator, useCommunityStanding } from './community';

export type CommunityTab = 'Overview' | 'Forum' | 'Events' | 'Resources' | 'Polls' | 'Members' | 'Moderation';

interface Tab {
  label: CommunityTab;
  to: string;
  /** Paths under the community that belong to this tab (the thread pages belong to Forum). */
  owns: RegExp;
}

function tabsFor(slug: string, moderator: boolean): Tab[] {
  const base = `/c/${slug}`;
  const tabs: Tab[] = [
    { label: 'Overview', to: base, owns: /^\/(pages(\/|$)|$)/ },
    { label: 'Forum', to: `${base}/forum`, owns: /^\/(forum|t|latest|bookmarks)(\/|$)/ },
    { label: 'Events', to: `${base}/events`, owns: /^\/events(\/|$)/ },
    { label: 'Resources', to: `${base}/resources`, owns: /^\/resources(\/|$)/ },
    { label: 'Polls', to: `${base}/polls`, owns: /^\/polls(\/|$)/ },
    { label: 'Members', to: `${base}/members`, owns: /^\/members(\/|$)/ },
  ];
  if (moderator) tabs.push({ label: 'Moderation', to: `${base}/moderation`, owns: /^\/moderation(\/|$)/ });
  return tabs;
}

/**
 * The community's sub-navigation (NHS.UK sub-navigation pattern): the same tabs on every page of a
 * community, the current one marked with `aria-current="page"`. Members see every tab; moderators and
 * co-chairs also see Moderation. Visitors who are not members see the overview only (with a join button).
 * Under `/c/:slug` the tab comes from the path; item pages outside it (`/events/:id`…) name the
 * community and the tab.
 */
export function CommunityNav({ slug: given, current }: { slug?: string; current?: CommunityTab }) {
  const params = useParams();
  const slug = given ?? params.slug ?? '';
  const standing = useCommunityStanding(slug);
  const { pathname } = useLocation();
  const rest = pathname.slice(`/c/${slug}`.length) || '/';
  const tabs = standing.data ? tabsFor(slug, isModerator(standing.data)) : [];
  if (tabs.length === 0) return null;
  return (
    <nav className="cophub-subnav" aria-label={`${standing.data?.community.name ?? 'Community'} sections`}>
      <ul className="cophub-subnav__list">
        {tabs.map((tab) => {
          const isCurrent = current
            ? tab.label === current
            : tab.owns.test(rest === '/' ? '/' : rest) || (tab.label === 'Overview' && rest === '/');
          return (
            <li key={tab.label} className={`cophub-subnav__item${isCurrent ? ' cophub-subnav__item--current' : ''}`}>
              <Link className="cophub-subnav__link" to={tab.to} aria-current={isCurrent ? 'page' : undefined}>
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/**
 * The community navigation on an item page whose address does not name the community (`/events/:id`,
 * `/resources/:id`, `/polls/:id`): the item's community is found among the caller's approved
 * memberships. Nothing for a visitor who is not a member (a public event), nor under `/c/:slug`,
 * where `CommunityShell` already shows it.
 */
export function ItemCommunityNav({ communityId, tab }: { communityId: string; tab: CommunityTab }) {
  const { me } = useAuth();
  const { slug: routeSlug } = useParams();
  const membership = me?.memberships.find((m) => m.communityId === communityId && m.status === 'approved');
  if (routeSlug || !membership) return null;
  return <CommunityNav slug={membership.slug} current={tab} />;
}

/** Every `/c/:slug/...` page: the sub-navigation, then the page. */
export function CommunityShell() {
  return (
    <>
      <CommunityNav />
      <Outlet />
    </>
  );
}
