import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { http, ok } from '../../api/http';
import { keys, useInvalidate } from '../../api/query';
import type { Me } from '../../api/types';
import { useAuth } from '../../auth/auth';
import { apiErrors, Button, ErrorSummary, errorFor, TextInput, type FieldError } from '../../components/forms';
import { Loading, Notice, PageHeading } from '../../components/ui';
import { YourDataSection } from './YourDataSection';
import {
  completeProfile,
  PROFILE_FIELD_IDS,
  ProfileFields,
  validateProfile,
  type CompleteProfile,
  type ProfileValues,
} from './profileFields';

function PasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState('');
  const change = useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      ok(http.POST('/api/v1/me/password', { body })),
  });
  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: FieldError[] = [];
    if (!current) found.push({ field: 'currentPassword', message: 'Enter your current password' });
    if (next.length < 10) found.push({ field: 'newPassword', message: 'New password must be at least 10 characters' });
    setErrors(found);
    setNotice('');
    if (found.length) return;
    try {
      await change.mutateAsync({ currentPassword: current, newPassword: next });
      setCurrent('');
      setNext('');
      setNotice('Your password has been changed.');
    } catch (error) {
      setErrors(
        apiErrors(error, { currentPassword: 'currentPassword', newPassword: 'newPassword' }, 'currentPassword', {
          invalid_credentials: 'currentPassword',
          weak_password: 'newPassword',
        }),
      );
    }
  }
  return (
    <form onSubmit={submit} noValidate>
      <h2 className="nhsuk-heading-m">Change your password</h2>
      <ErrorSummary errors={errors} />
      <Notice>{notice}</Notice>
      <TextInput
        id="currentPassword"
        type="password"
        label="Current password"
        autoComplete="current-password"
        value={current}
        error={errorFor(errors, 'currentPassword')}
        onValue={setCurrent}
      />
      <TextInput
        id="newPassword"
        type="password"
        label="New password"
        hint="At least 10 characters"
        autoComplete="new-password"
        value={next}
        error={errorFor(errors, 'newPassword')}
        onValue={setNext}
      />
      <Button variant="secondary">Change password</Button>
    </form>
  );
}

const HANDLE = /^[A-Za-z0-9][A-Za-z0-9_-]{2,29}$/;

/** Saves the profile (or the handle) and refetches `me`, which carries it. */
function useSaveProfile() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: { handle: string } | CompleteProfile) => ok(http.PATCH('/api/v1/me', { body })),
    onSuccess: async (updated) => {
      api.updateUser(updated);
      await invalidate(keys.me);
    },
  });
}

/** The member's handle for @mentions: their choice, with a suggestion made from their name. */
function HandleForm({ me }: { me: Me }) {
  const save = useSaveProfile();
  const [handle, setHandle] = useState(me.handle);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);

  async function suggest() {
    setNotice('');
    try {
      const { handle: suggested } = await ok(http.GET('/api/v1/me/handle-suggestion'));
      setHandle(suggested);
      setErrors([]);
      setNotice(`Suggested handle: @${suggested}. Save it to use it.`);
    } catch (error) {
      setErrors(apiErrors(error, { handle: 'handle' }, 'handle'));
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: FieldError[] = [];
    if (!HANDLE.test(handle)) {
      found.push({
        field: 'handle',
        message: 'Enter a handle of 3 to 30 letters A to Z, digits, _ or -, starting with a letter or digit',
      });
    }
    setErrors(found);
    setNotice('');
    if (found.length) return;
    setBusy(true);
    try {
      const updated = await save.mutateAsync({ handle });
      setNotice(`Your handle is now @${updated.handle}.`);
    } catch (error) {
      setErrors(apiErrors(error, { handle: 'handle' }, 'handle', { handle_taken: 'handle', invalid_handle: 'handle' }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="handle-heading">
      <h2 className="nhsuk-heading-m" id="handle-heading">
        Your handle
      </h2>
      <ErrorSummary errors={errors} />
      <Notice>{notice}</Notice>
      <TextInput
        id="handle"
        label="Handle for mentions"
        hint="Others mention you in posts by writing @ and your handle. 3 to 30 letters A to Z, digits, _ or -."
        autoComplete="username"
        spellCheck={false}
        value={handle}
        error={errorFor(errors, 'handle')}
        onValue={setHandle}
      />
      <div className="cophub-actions">
        <Button busy={busy}>Save handle</Button>
        <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={() => void suggest()}>
          Suggest one from my name
        </button>
      </div>
    </form>
  );
}

export function ProfilePage() {
  const { me } = useAuth();
  if (!me) return <Loading what="Loading your profile" />;
  return <ProfileForm me={me} />;
}

/** The form starts from the profile as loaded; later reloads of `me` do not overwrite typing. */
function ProfileForm({ me }: { me: Me }) {
  const save = useSaveProfile();
  const [values, setValues] = useState<ProfileValues>(() => ({
    displayName: me.displayName,
    profession: me.profession,
    careerStage: me.careerStage,
    region: me.region,
    organisation: me.organisation,
  }));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState('');

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = validateProfile(values);
    const complete = completeProfile(values);
    setErrors(found);
    setNotice('');
    if (found.length || !complete) return;
    setBusy(true);
    try {
      await save.mutateAsync({ ...complete, displayName: complete.displayName.trim() });
      setNotice('Your profile has been saved.');
    } catch (error) {
      setErrors(apiErrors(error, PROFILE_FIELD_IDS, 'displayName'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        <PageHeading caption={me.email}>Your profile</PageHeading>
        <p>
          Your profession, career stage and region are used to break down poll results (never to identify you) and to
          invite you to events for your role.
        </p>
        <Notice>{notice}</Notice>
        <form onSubmit={submit} noValidate>
          <ProfileFields values={values} errors={errors} onChange={setValues} />
          <Button busy={busy}>Save profile</Button>
        </form>
        <HandleForm me={me} />
        <PasswordForm />
        <h2 className="nhsuk-heading-m">Notifications</h2>
        <p>
          <Link to="/settings/notifications">Choose how we tell you about replies, events and polls</Link>
        </p>
        <YourDataSection />
      </div>
    </div>
  );
}
