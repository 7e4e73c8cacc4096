import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { http, ok } from '../../api/http';
import { ErrorPanel, Notice } from '../../components/ui';

/**
 * The private calendar feed: one URL per person (the secret in it is the credential). Asking again
 * replaces it, so a leaked link can be stopped.
 */
export function FeedLink() {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  // Each ask makes a new link (the old one stops working); turning it off deletes it.
  const { mutateAsync: create } = useMutation({ mutationFn: () => ok(http.POST('/api/v1/me/calendar-feed')) });
  const { mutateAsync: turnOff } = useMutation({ mutationFn: () => ok(http.DELETE('/api/v1/me/calendar-feed')) });

  const rotate = (message: string) =>
    create().then(
      (result) => {
        setUrl(result.url);
        setNotice(message);
      },
      (e: unknown) => setError(e),
    );

  useEffect(() => {
    // Opening the page makes the link (the server keeps one per person), so it is ready to copy.
    let live = true;
    create().then(
      (result) => {
        if (!live) return;
        setUrl(result.url);
        setNotice('Your feed link is ready.');
      },
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [create]);

  if (error) return <ErrorPanel error={error} />;
  if (url === null) return <p role="status">Creating your feed link…</p>;
  if (url === '') {
    return (
      <>
        <Notice>{notice}</Notice>
        <button
          type="button"
          className="nhsuk-button nhsuk-button--secondary"
          onClick={() => void rotate('Your feed link is ready.')}
        >
          Make a new feed link
        </button>
      </>
    );
  }
  return (
    <div className="nhsuk-inset-text">
      <span className="nhsuk-u-visually-hidden">Information: </span>
      <p>
        Add this address to Outlook, Google or Apple Calendar as a subscribed calendar. It shows every event you are
        going to. Keep it private: anyone with it can see your events.
      </p>
      <div className="nhsuk-form-group">
        <label className="nhsuk-label" htmlFor="feed-url">
          Your private calendar feed
        </label>
        <input
          id="feed-url"
          className="nhsuk-input cophub-feed-url"
          readOnly
          value={url}
          onFocus={(e) => e.target.select()}
        />
      </div>
      <Notice>{notice}</Notice>
      <div className="cophub-actions">
        <button
          type="button"
          className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
          onClick={() => void navigator.clipboard?.writeText(url).then(() => setNotice('Link copied.'))}
        >
          Copy link
        </button>
        <button
          type="button"
          className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
          onClick={() => void rotate('A new link has been made. The old link no longer works.')}
        >
          Make a new link
        </button>
        <button
          type="button"
          className="nhsuk-button nhsuk-button--warning nhsuk-u-margin-bottom-0"
          onClick={() =>
            void turnOff().then(() => {
              setUrl('');
              setNotice('Your feed link has been turned off.');
            })
          }
        >
          Turn off my feed
        </button>
      </div>
    </div>
  );
}
