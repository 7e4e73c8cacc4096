import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../auth/auth';
import { apiErrors, Button, ErrorSummary, errorFor, TextInput, type FieldError } from '../../components/forms';
import { PageHeading } from '../../components/ui';

/** Only same-site paths are followed after sign-in (no open redirect). */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function SignInPage() {
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  // Arriving from a confirmed email link: the address is filled in and the confirmation said.
  const [email, setEmail] = useState(params.get('email') ?? '');
  const verified = params.get('verified') === '1';
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: FieldError[] = [];
    if (!email.trim()) found.push({ field: 'email', message: 'Enter your email address' });
    if (!password) found.push({ field: 'password', message: 'Enter your password' });
    setErrors(found);
    if (found.length) return;
    setBusy(true);
    try {
      await signIn(email.trim(), password);
      navigate(safeNext(params.get('next')), { replace: true });
    } catch (error) {
      setErrors(
        apiErrors(error, { email: 'email', password: 'password' }, 'email', { invalid_credentials: 'password' }),
      );
      setBusy(false);
    }
  }

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        <PageHeading>Sign in</PageHeading>
        {verified && (
          <div role="status" className="nhsuk-inset-text">
            <p>Your email address is confirmed. Sign in to continue.</p>
          </div>
        )}
        <form onSubmit={submit} noValidate>
          <TextInput
            id="email"
            type="email"
            label="Email address"
            autoComplete="email"
            spellCheck={false}
            value={email}
            error={errorFor(errors, 'email')}
            onValue={setEmail}
          />
          <TextInput
            id="password"
            type="password"
            label="Password"
            autoComplete="current-password"
            value={password}
            error={errorFor(errors, 'password')}
            onValue={setPassword}
          />
          <Button busy={busy}>Sign in</Button>
        </form>
        <p>
          <Link to="/forgot-password">Forgotten your password?</Link>
        </p>
        <p>
          New to CoP Hub? <Link to="/register">Create an account</Link>
        </p>
      </div>
    </div>
  );
}

export function SignedOutPage() {
  return (
    <>
      <PageHeading>You have signed out</PageHeading>
      <p>
        <Link to="/sign-in">Sign in again</Link>
      </p>
    </>
  );
}
