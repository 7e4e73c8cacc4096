import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { http, ok } from '../../api/http';
import {
  apiErrors,
  Button,
  ErrorSummary,
  errorFor,
  TextInput,
  useEmailLinkRequest,
  type FieldError,
} from '../../components/forms';
import { PageHeading } from '../../components/ui';

export function ForgotPasswordPage() {
  const { email, setEmail, errors, busy, sent, submit } = useEmailLinkRequest(
    (email) => ok(http.POST('/api/v1/auth/password-reset', { body: { email } })),
    'email',
  );

  if (sent) {
    return (
      <>
        <PageHeading>Check your email</PageHeading>
        <p>If {email} has an account, we have sent it a link to choose a new password. The link expires in 1 hour.</p>
      </>
    );
  }
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        <PageHeading>Reset your password</PageHeading>
        <form onSubmit={submit} noValidate>
          <TextInput
            id="email"
            type="email"
            label="Email address"
            hint="We will email you a link to choose a new password"
            autoComplete="email"
            value={email}
            error={errorFor(errors, 'email')}
            onValue={setEmail}
          />
          <Button busy={busy}>Send reset link</Button>
        </form>
      </div>
    </div>
  );
}

export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const reset = useMutation({
    mutationFn: (body: { token: string; password: string }) =>
      ok(http.POST('/api/v1/auth/password-reset/confirm', { body })),
  });

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: FieldError[] = [];
    if (password.length < 10) found.push({ field: 'password', message: 'Password must be at least 10 characters' });
    if (password !== confirm) found.push({ field: 'confirm', message: 'The passwords do not match' });
    setErrors(found);
    if (found.length) return;
    setBusy(true);
    try {
      await reset.mutateAsync({ token: params.get('token') ?? '', password });
      setDone(true);
    } catch (error) {
      setErrors(apiErrors(error, { password: 'password', token: 'password' }, 'password'));
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <>
        <PageHeading>Your password has been changed</PageHeading>
        <p>You have been signed out on every device.</p>
        <Link className="nhsuk-button" to="/sign-in">
          Sign in
        </Link>
      </>
    );
  }
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        <PageHeading>Choose a new password</PageHeading>
        <form onSubmit={submit} noValidate>
          <TextInput
            id="password"
            type="password"
            label="New password"
            hint="At least 10 characters"
            autoComplete="new-password"
            value={password}
            error={errorFor(errors, 'password')}
            onValue={setPassword}
          />
          <TextInput
            id="confirm"
            type="password"
            label="Confirm new password"
            autoComplete="new-password"
            value={confirm}
            error={errorFor(errors, 'confirm')}
            onValue={setConfirm}
          />
          <Button busy={busy}>Change password</Button>
        </form>
      </div>
    </div>
  );
}
