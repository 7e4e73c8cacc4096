import { useMutation } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { http, ok } from '../../api/http';
import type { components } from '../../api/schema';
import type { NotificationChannel } from '../../api/types';
import { apiErrors, Button, ErrorSummary, type FieldError } from '../../components/forms';
import { Breadcrumbs, Loading, Notice, PageHeading } from '../../components/ui';

const KINDS: Record<string, string> = {
  forum_reply: 'Replies to threads you follow',
  forum_mention: 'Someone mentions you',
  forum_quote: 'Someone quotes you',
  event_update: 'Changes to events you are going to',
  event_reminder: 'Event reminders',
  event_waitlist: 'A place comes up from the waiting list',
  event_rsvp: 'Confirmation when you reply to an event (with the calendar file)',
  poll_invitation: 'New polls for you',
  poll_reminder: 'Reminders to answer polls',
  poll_results: 'Poll results are published',
  membership: 'Membership requests and decisions',
  moderation_flag: 'A post is reported (moderators and co-chairs)',
  announcement: 'Announcements from the co-chairs',
  account: 'Changes made to your account for you (such as a renamed handle)',
};

const CHANNELS: Record<NotificationChannel, string> = {
  in_app: 'In CoP Hub only',
  email: 'Email straight away',
  digest: 'Daily email summary',
  off: 'Off',
};

type Preferences = Record<string, NotificationChannel>;

/** `GET /me/mail-status`: whether CoP Hub has stopped emailing the member, and why. */
type MailStatus = components['schemas']['MyMailStatusDto'];

/**
 * Shown above the choices while mail to the member's address is paused (it hard-bounced): the
 * reason in words and a button that mails the confirmation link (the one email still sent).
 */
function PausedMail() {
  const [status, setStatus] = useState<MailStatus | null>(null);
  const [sent, setSent] = useState('');
  const confirmation = useMutation({ mutationFn: () => ok(http.POST('/api/v1/me/mail-status/confirm')) });
  useEffect(() => {
    ok(http.GET('/api/v1/me/mail-status')).then(setStatus, () => setStatus(null));
  }, []);
  if (!status?.paused) return null;
  async function confirm() {
    try {
      await confirmation.mutateAsync();
      setSent(`We sent a confirmation link to ${status!.address}.`);
    } catch {
      setSent('We could not send the confirmation email just now; please try again later.');
    }
  }
  return (
    <div className="nhsuk-warning-callout">
      <h2 className="nhsuk-warning-callout__label">
        <span role="text">
          <span className="nhsuk-u-visually-hidden">Important: </span>Your email is paused
        </span>
      </h2>
      <p>{status.pausedReason}</p>
      {sent ? (
        <p role="status">{sent}</p>
      ) : (
        <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={() => void confirm()}>
          Send me a confirmation email
        </button>
      )}
    </div>
  );
}

/** One choice per kind of notification; a table of radios, each group labelled by its kind. */
export function PreferencesPage() {
  const [prefs, setPrefs] = useState<Preferences | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const save = useMutation({
    mutationFn: (body: Preferences) => ok(http.PUT('/api/v1/me/notification-preferences', { body })),
  });

  useEffect(() => {
    ok(http.GET('/api/v1/me/notification-preferences')).then(setPrefs, (e: unknown) =>
      setErrors(apiErrors(e, {}, 'pref-forum_reply')),
    );
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!prefs) return;
    setBusy(true);
    setNotice('');
    try {
      const body = Object.fromEntries(
        Object.keys(KINDS)
          .map((k) => [k, prefs[k]])
          .filter(([, v]) => v),
      );
      setPrefs(await save.mutateAsync(body));
      setNotice('Your notification choices have been saved.');
      setErrors([]);
    } catch (error) {
      setErrors(apiErrors(error, {}, 'pref-forum_reply'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <Breadcrumbs items={[{ to: '/profile', label: 'Profile' }]} />
        <ErrorSummary errors={errors} />
        <PageHeading>Notification settings</PageHeading>
        <PausedMail />
        <Notice>{notice}</Notice>
        {!prefs ? (
          <Loading what="Loading your choices" />
        ) : (
          <form onSubmit={submit} noValidate>
            {Object.entries(KINDS).map(([kind, label]) => (
              <div className="nhsuk-form-group" key={kind}>
                <fieldset className="nhsuk-fieldset">
                  <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{label}</legend>
                  <div className="nhsuk-radios nhsuk-radios--inline">
                    {Object.entries(CHANNELS).map(([channel, text], index) => {
                      const id = index === 0 ? `pref-${kind}` : `pref-${kind}-${channel}`;
                      return (
                        <div className="nhsuk-radios__item" key={channel}>
                          <input
                            className="nhsuk-radios__input"
                            id={id}
                            name={`pref-${kind}`}
                            type="radio"
                            value={channel}
                            checked={prefs[kind] === channel}
                            onChange={() => setPrefs({ ...prefs, [kind]: channel as NotificationChannel })}
                          />
                          <label className="nhsuk-label nhsuk-radios__label" htmlFor={id}>
                            {text}
                          </label>
                        </div>
                      );
                    })}
                  </div>
                </fieldset>
              </div>
            ))}
            <Button busy={busy}>Save choices</Button>
          </form>
        )}
      </div>
    </div>
  );
}
