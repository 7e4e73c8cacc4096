import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../../api/client';
import { http, ok } from '../../api/http';
import { useAuth } from '../../auth/auth';
import { Button, ErrorSummary, errorFor, TextInput, useEmailLinkRequest } from '../../components/forms';
import { ErrorPanel, Loading, PageHeading } from '../../components/ui';

/** Asks for a new verification link; the answer is the same whether or not the address has an account. */
function ResendVerification() {
  const { email, setEmail, errors, busy, sent, submit } = useEmailLinkRequest(
    (email) => ok(http.POST('/api/v1/auth/verify/resend', { body: { email } })),
    'resend-email',
  );

  if (sent) {
    return (
      <div role="status" className="nhsuk-inset-text">
        <h2 className="nhsuk-heading-m">Check your email</h2>
        <p>
          If {email.trim()} has an account that is not confirmed yet, we have sent it a new link. Open the newest email:
          older links no longer work.
        </p>
      </div>
    );
  }
  return (
    <>
      <ErrorSummary errors={errors} />
      <h2 className="nhsuk-heading-m">Get a new link</h2>
      <form onSubmit={submit} noValidate>
        <TextInput
          id="resend-email"
          type="email"
          label="Email address"
          hint="The address you registered with"
          autoComplete="email"
          spellCheck={false}
          value={email}
          error={errorFor(errors, 'resend-email')}
          onValue={setEmail}
        />
        <Button busy={busy}>Send a new link</Button>
      </form>
    </>
  );
}

/**
 * The emailed link lands here; the token is spent once, so the request is made only once. Once
 * confirmed, a signed-out visitor goes straight to sign-in with their address filled in (the link
 * itself never signs anyone in: an emailed link is weaker proof than the password).
 */
export function VerifyEmailPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const { session, reloadMe } = useAuth();
  const navigate = useNavigate();
  const [state, setState] = useState<'working' | 'done' | unknown>('working');
  const started = useRef(false);
  const { mutateAsync: verify } = useMutation({
    mutationFn: (token: string) => ok(http.POST('/api/v1/auth/verify-email', { body: { token } })),
  });

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    verify(token)
      .then((user) => {
        if (api.current) {
          setState('done');
          void reloadMe();
          return;
        }
        const next = new URLSearchParams({ email: user.email, verified: '1', next: '/communities' });
        navigate(`/sign-in?${next.toString()}`, { replace: true });
      })
      .catch((error: unknown) => setState(error));
  }, [token, reloadMe, navigate, verify]);

  if (state === 'working') return <Loading what="Confirming your email address" />;
  if (state === 'done') {
    return (
      <>
        <PageHeading>Email address confirmed</PageHeading>
        <p>Thank you. You can now join a community.</p>
        {session && (
          <Link className="nhsuk-button" to="/communities">
            Find a community
          </Link>
        )}
      </>
    );
  }
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <PageHeading>We could not confirm your email address</PageHeading>
        <ErrorPanel error={state} />
        <p>
          The link may have expired or been used already. If you have already confirmed your address,{' '}
          <Link to="/sign-in">sign in</Link>.
        </p>
        <ResendVerification />
      </div>
    </div>
  );
}
