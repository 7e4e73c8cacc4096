import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { ApiError } from '../api/client';
import { SignInRedirect } from '../auth/auth';

/** Sets the document title and puts focus on the page heading, so a route change is announced. */
export function PageHeading({ children, title, caption }: { children: ReactNode; title?: string; caption?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const text = title ?? (typeof children === 'string' ? children : '');
  useEffect(() => {
    document.title = text ? `${text} – CoP Hub` : 'CoP Hub';
  }, [text]);
  useEffect(() => {
    // Only move focus after in-app navigation, not on the very first load.
    if (window.history.state?.idx > 0) ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <h1 className="nhsuk-heading-l" tabIndex={-1} ref={ref} style={{ outline: 'none' }}>
      {caption && <span className="nhsuk-caption-l">{caption}</span>}
      {children}
    </h1>
  );
}

export interface Crumb {
  to: string;
  label: string;
}

export function Breadcrumbs({ items }: { items: Crumb[] }) {
  if (!items.length) return null;
  const back = items[items.length - 1];
  return (
    <nav className="nhsuk-breadcrumb" aria-label="Breadcrumb">
      <ol className="nhsuk-breadcrumb__list">
        {items.map((item) => (
          <li className="nhsuk-breadcrumb__item" key={item.to}>
            <Link className="nhsuk-breadcrumb__link" to={item.to}>
              {item.label}
            </Link>
          </li>
        ))}
      </ol>
      <p className="nhsuk-breadcrumb__back">
        <Link className="nhsuk-breadcrumb__backlink" to={back.to}>
          <span className="nhsuk-u-visually-hidden">Back to &nbsp;</span>
          {back.label}
        </Link>
      </p>
    </nav>
  );
}

export type TagColour =
  'white' | 'grey' | 'green' | 'aqua-green' | 'blue' | 'purple' | 'pink' | 'red' | 'orange' | 'yellow';

/** A tag always carries its meaning in words; colour only reinforces it. */
export function Tag({ children, colour }: { children: ReactNode; colour?: TagColour }) {
  return <strong className={`nhsuk-tag${colour ? ` nhsuk-tag--${colour}` : ''}`}>{children}</strong>;
}

export function Inset({ children }: { children: ReactNode }) {
  return (
    <div className="nhsuk-inset-text">
      <span className="nhsuk-u-visually-hidden">Information: </span>
      {children}
    </div>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="nhsuk-body" role="status">
      {what}…
    </p>
  );
}

export function ErrorPanel({ error }: { error: unknown }) {
  if (error instanceof ApiError && error.status === 401) return <SignInRedirect />;
  const message =
    error instanceof ApiError
      ? error.status === 404
        ? 'We could not find that page. It may have been removed.'
        : error.message
      : 'Something went wrong. Check your connection and try again.';
  return (
    <div className="nhsuk-error-summary" role="alert" aria-labelledby="load-error-title" tabIndex={-1}>
      <h2 className="nhsuk-error-summary__title" id="load-error-title">
        {error instanceof ApiError && error.status === 403 ? 'You cannot see this page' : 'There is a problem'}
      </h2>
      <div className="nhsuk-error-summary__body">
        <p>{message}</p>
      </div>
    </div>
  );
}

/** A status message announced politely by screen readers (for results of actions). */
export function Notice({ children }: { children: ReactNode }) {
  if (!children) return <div role="status" aria-live="polite" />;
  return (
    <div role="status" aria-live="polite" className="nhsuk-inset-text cophub-notice">
      <p>{children}</p>
    </div>
  );
}

export interface AsyncState<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload: () => Promise<void>;
  setData: (data: T) => void;
}

/** Loads data for a page; `deps` re-run it. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): AsyncState<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const run = useCallback(load, deps);
  const reload = useCallback(async () => {
    try {
      setData(await run());
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [run]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    run().then(
      (value) => {
        if (!live) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [run]);
  return { data, error, loading, reload, setData };
}

/** Renders loading and error states, then the page. */
export function Async<T>({
  state,
  children,
  what,
}: {
  state: AsyncState<T>;
  children: (data: T) => ReactNode;
  what?: string;
}) {
  if (state.error) return <ErrorPanel error={state.error} />;
  if (state.loading && state.data === null) return <Loading what={what} />;
  if (state.data === null) return <Loading what={what} />;
  return <>{children(state.data)}</>;
}

export function SummaryList({ rows }: { rows: Array<[ReactNode, ReactNode, ReactNode?]> }) {
  return (
    <dl className="nhsuk-summary-list">
      {rows.map(([key, value, action], i) => (
        <div className="nhsuk-summary-list__row" key={i}>
          <dt className="nhsuk-summary-list__key">{key}</dt>
          <dd className="nhsuk-summary-list__value">{value}</dd>
          {action !== undefined && <dd className="nhsuk-summary-list__actions">{action}</dd>}
        </div>
      ))}
    </dl>
  );
}
