import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Suspense, useEffect, useState, type ReactNode } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { http, ok } from '../api/http';
import { keys } from '../api/query';
import { closeLiveSocket, useLiveInvalidation } from '../api/realtime';
import { useAuth } from '../auth/auth';
import { Loading } from './ui';

function NhsLogo() {
  return (
    <svg
      className="nhsuk-logo"
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 40 16"
      height="40"
      width="100"
      aria-hidden="true"
      focusable="false"
    >
      <path className="nhsuk-logo__background" fill="#005eb8" d="M0 0h40v16H0z" />
      <path
        className="nhsuk-logo__text"
        fill="#fff"
        d="M3.9 1.5h4.4l2.6 9h.1l1.8-9h3.3l-2.8 13H9l-2.7-9h-.1l-1.8 9H1.1M17.3 1.5h3.6l-1 4.9h4L25 1.5h3.5l-2.7 13h-3.5l1.1-5.6h-4.1l-1.2 5.6h-3.4M37.7 4.4c-.7-.3-1.6-.6-2.9-.6-1.4 0-2.5.2-2.5 1.3 0 1.8 5.1 1.2 5.1 5.1 0 3.6-3.3 4.5-6.4 4.5-1.3 0-2.9-.3-4-.7l.8-2.7c.7.4 2.1.7 3.2.7s2.8-.2 2.8-1.5c0-2.1-5.1-1.3-5.1-5 0-3.4 2.9-4.4 5.8-4.4 1.6 0 3.1.2 4 .6"
      />
    </svg>
  );
}

/** The unread count, kept live over the socket (the server pushes `notification.created`). */
function NotificationBell() {
  const client = useQueryClient();
  const { data } = useQuery({
    queryKey: [...keys.notifications, 'unread'],
    queryFn: () => ok(http.GET('/api/v1/notifications', { params: { query: { limit: 1 } } })),
  });
  useLiveInvalidation(null, {
    'notification.created': [keys.notifications],
    'notification.read': [keys.notifications],
  });
  useEffect(() => {
    // Pages that mark notifications read say so with this event.
    const refresh = () => void client.invalidateQueries({ queryKey: keys.notifications });
    window.addEventListener('cophub:notifications-read', refresh);
    return () => window.removeEventListener('cophub:notifications-read', refresh);
  }, [client]);
  const unread = data?.unread;
  return (
    <NavLink className="nhsuk-header__navigation-link" to="/notifications">
      Notifications
      {unread ? (
        <span className="cophub-badge">
          {unread}
          <span className="nhsuk-u-visually-hidden"> unread</span>
        </span>
      ) : null}
    </NavLink>
  );
}

function Header() {
  const { session, signOut } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const client = useQueryClient();
  // On narrow screens the links fold behind a Menu button (NHS.UK header pattern, without its script).
  const [open, setOpen] = useState(false);
  const [openedAt, setOpenedAt] = useState(location.pathname);
  if (openedAt !== location.pathname) {
    // Close the menu after navigating (state adjusted during render, not in an effect).
    setOpenedAt(location.pathname);
    setOpen(false);
  }
  const links: Array<{ to: string; label: ReactNode }> = session
    ? [
        { to: '/communities', label: 'Communities' },
        { to: '/search', label: 'Search' },
        { to: '/cpd', label: 'My CPD' },
        { to: '/profile', label: 'Profile' },
      ]
    : [
        { to: '/communities', label: 'Communities' },
        { to: '/sign-in', label: 'Sign in' },
        { to: '/register', label: 'Create an account' },
      ];
  return (
    <header className="nhsuk-header" role="banner">
      <div className="nhsuk-header__container">
        <div className="nhsuk-header__logo">
          <Link className="nhsuk-header__link nhsuk-header__link--service" to="/" aria-label="CoP Hub home">
            <NhsLogo />
            <span className="nhsuk-header__service-name">CoP Hub</span>
          </Link>
        </div>
      </div>
      <div className="nhsuk-navigation-container">
        <nav className="nhsuk-navigation" id="header-navigation" aria-label="Primary navigation">
          <button
            type="button"
            className="cophub-menu-toggle"
            aria-expanded={open}
            aria-controls="header-navigation-list"
            onClick={() => setOpen((value) => !value)}
          >
            Menu
          </button>
          <ul
            id="header-navigation-list"
            className={`nhsuk-header__navigation-list nhsuk-header__navigation-list--left-aligned cophub-nav${open ? ' cophub-nav--open' : ''}`}
          >
            {links.map((link) => (
              <li className="nhsuk-header__navigation-item" key={link.to}>
                <NavLink className="nhsuk-header__navigation-link" to={link.to}>
                  {link.label}
                </NavLink>
              </li>
            ))}
            {session && (
              <>
                <li className="nhsuk-header__navigation-item">
                  <NotificationBell />
                </li>
                <li className="nhsuk-header__navigation-item">
                  <button
                    type="button"
                    className="nhsuk-header__navigation-link cophub-link-button"
                    onClick={() => {
                      closeLiveSocket();
                      client.clear();
                      void signOut().then(() => navigate('/signed-out'));
                    }}
                  >
                    Sign out
                  </button>
                </li>
              </>
            )}
          </ul>
        </nav>
      </div>
    </header>
  );
}

function Footer() {
  return (
    <footer role="contentinfo">
      <div className="nhsuk-footer-container">
        <div className="nhsuk-width-container">
          <h2 className="nhsuk-u-visually-hidden">Support links</h2>
          <div className="nhsuk-footer">
            <ul className="nhsuk-footer__list">
              <li className="nhsuk-footer__list-item nhsuk-footer-default__list-item">
                <Link className="nhsuk-footer__list-item-link" to="/communities">
                  Communities
                </Link>
              </li>
              <li className="nhsuk-footer__list-item nhsuk-footer-default__list-item">
                <a className="nhsuk-footer__list-item-link" href="/api/docs">
                  API documentation
                </a>
              </li>
            </ul>
            <p className="nhsuk-footer__copyright">CoP Hub – Psychological Practitioner Communities of Practice</p>
          </div>
        </div>
      </div>
    </footer>
  );
}

export function Layout() {
  return (
    <>
      <a className="nhsuk-skip-link" href="#maincontent">
        Skip to main content
      </a>
      <Header />
      <div className="nhsuk-width-container">
        <main className="nhsuk-main-wrapper" id="maincontent" role="main" tabIndex={-1}>
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
      <Footer />
    </>
  );
}
