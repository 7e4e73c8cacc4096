import { Link, Outlet, useLocation } from 'react-router-dom';
import { isModerator, useCommunity } from './community';

interface Tab {
  label: string;
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
 */
export function CommunityNav() {
  const { slug, standing } = useCommunity();
  const { pathname } = useLocation();
  const rest = pathname.slice(`/c/${slug}`.length) || '/';
  const tabs = standing.data ? tabsFor(slug, isModerator(standing.data)) : [];
  if (tabs.length === 0) return null;
  return (
    <nav className="cophub-subnav" aria-label={`${standing.data?.community.name ?? 'Community'} sections`}>
      <ul className="cophub-subnav__list">
        {tabs.map((tab) => {
          const current = tab.owns.test(rest === '/' ? '/' : rest) || (tab.label === 'Overview' && rest === '/');
          return (
            <li key={tab.label} className={`cophub-subnav__item${current ? ' cophub-subnav__item--current' : ''}`}>
              <Link className="cophub-subnav__link" to={tab.to} aria-current={current ? 'page' : undefined}>
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
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
