import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { http, ok } from '../../api/http';
import { useInvalidate } from '../../api/query';
import { formatDateTime } from '../../components/labels';
import { Async, Notice, PageHeading, Tag, useAsync } from '../../components/ui';

/** Notification links are absolute product URLs; inside the app we follow their path. */
function pathOf(url: string): string {
  try {
    const parsed = new URL(url, window.location.origin);
    return parsed.pathname + parsed.search + parsed.hash;
  } catch {
    return '/';
  }
}

export function NotificationsPage() {
  const [onlyUnread, setOnlyUnread] = useState(false);
  const state = useAsync(['/notifications', onlyUnread], () =>
    ok(
      http.GET('/api/v1/notifications', { params: { query: { limit: 50, ...(onlyUnread ? { unread: true } : {}) } } }),
    ),
  );
  const [notice, setNotice] = useState('');
  const invalidate = useInvalidate();
  const read = useMutation({
    mutationFn: (ids: string[] | 'all') =>
      ok(http.POST('/api/v1/notifications/read', { body: ids === 'all' ? { all: true } : { ids } })),
  });

  async function markRead(ids: string[] | 'all') {
    await read.mutateAsync(ids);
    window.dispatchEvent(new Event('cophub:notifications-read'));
    setNotice(ids === 'all' ? 'All notifications marked as read.' : 'Marked as read.');
    // This list; the event above refetches the unread count in the header.
    await invalidate(['/notifications']);
  }

  return (
    <>
      <PageHeading>Notifications</PageHeading>
      <p>
        <Link to="/settings/notifications">Choose which notifications you get, and how</Link>
      </p>
      <Notice>{notice}</Notice>
      <div className="cophub-actions nhsuk-u-margin-bottom-4">
        <button
          type="button"
          className="nhsuk-button nhsuk-button--secondary"
          onClick={() => setOnlyUnread(!onlyUnread)}
        >
          {onlyUnread ? 'Show all' : 'Show unread only'}
        </button>
        {(state.data?.unread ?? 0) > 0 && (
          <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={() => void markRead('all')}>
            Mark all as read
          </button>
        )}
      </div>
      <Async state={state} what="Loading notifications">
        {(page) =>
          page.items.length === 0 ? (
            <p>You have no {onlyUnread ? 'unread ' : ''}notifications.</p>
          ) : (
            <ul className="nhsuk-list nhsuk-list--border">
              {page.items.map((n) => (
                <li key={n.id}>
                  {!n.read && <Tag colour="blue">New</Tag>}{' '}
                  <Link to={pathOf(n.url)} onClick={() => !n.read && void markRead([n.id])}>
                    {n.title}
                  </Link>
                  {n.body && <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">{n.body}</p>}
                  <span className="nhsuk-body-s">{formatDateTime(n.createdAt)}</span>
                  {!n.read && (
                    <>
                      {' '}
                      <button
                        type="button"
                        className="cophub-link-button nhsuk-link nhsuk-body-s"
                        onClick={() => void markRead([n.id])}
                      >
                        Mark as read<span className="nhsuk-u-visually-hidden">: {n.title}</span>
                      </button>
                    </>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </Async>
    </>
  );
}
