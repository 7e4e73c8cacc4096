import { Suspense, useEffect, useState, type ReactNode } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { api } from '../api/client';
import { closeLiveSocket, subscribe } from '../api/realtime';
import type { NotificationPage } from '../api/types';
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
  const [unread, setUnread] = useState<number | null>(null);
  const location = useLocation();
  useEffect(() => {
    let live = true;
    const load = () =>
      api
        .get<NotificationPage>('/notifications?limit=1')
        .then((page) => live && setUnread(page.unread))
        .catch(() => undefined);
    void load();
    const stop = subscribe(null, { 'notification.created': () => void load(), 'notification.read': () => void load() });
    window.addEventListener('cophub:notifications-read', load);
    return () => {
      live = false;
      stop();
      window.removeEventListener('cophub:notifications-read', load);
    };
  }, [location.pathname]);
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
          <ul className="nhsuk-header__navigation-list nhsuk-header__navigation-list--left-aligned cophub-nav">
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
