import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../../api/client';
import { useAuth } from '../../auth/auth';
import { ErrorPanel, Loading, PageHeading } from '../../components/ui';

/** The emailed link lands here; the token is spent once, so the request is made only once. */
export function VerifyEmailPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const { session, reloadMe } = useAuth();
  const [state, setState] = useState<'working' | 'done' | unknown>('working');
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    api
      .post('/auth/verify-email', { token })
      .then(() => {
        setState('done');
        void reloadMe();
      })
      .catch((error: unknown) => setState(error));
  }, [token, reloadMe]);

  if (state === 'working') return <Loading what="Confirming your email address" />;
  if (state === 'done') {
    return (
      <>
        <PageHeading>Email address confirmed</PageHeading>
        <p>Thank you. You can now join a community.</p>
        {session ? (
          <Link className="nhsuk-button" to="/communities">
            Find a community
          </Link>
        ) : (
          <Link className="nhsuk-button" to="/sign-in?next=%2Fcommunities">
            Sign in
          </Link>
        )}
      </>
    );
  }
  return (
    <>
      <PageHeading>We could not confirm your email address</PageHeading>
      <ErrorPanel error={state} />
      <p>The link may have been used already or have expired. Sign in to ask for a new one.</p>
    </>
  );
}
