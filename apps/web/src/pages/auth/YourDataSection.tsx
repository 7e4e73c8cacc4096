import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { download as save, http, ok } from '../../api/http';
import { useAuth } from '../../auth/auth';
import { apiErrors, Button, ErrorSummary, errorFor, TextInput, type FieldError } from '../../components/forms';
import { Notice } from '../../components/ui';

/** "Your data" on the profile page: download everything CoP Hub holds (subject access), or close the account. */
export function YourDataSection() {
  const { signOut } = useAuth();
  const navigate = useNavigate();
  const [downloading, setDownloading] = useState(false);
  const [notice, setNotice] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [closing, setClosing] = useState(false);
  const closeAccount = useMutation({
    mutationFn: (password: string) => ok(http.POST('/api/v1/me/close', { body: { password } })),
  });

  async function download() {
    setDownloading(true);
    setNotice('');
    try {
      await save(http.GET('/api/v1/me/export', { parseAs: 'blob' }), 'cophub-personal-data.json');
      setNotice('Your data has been downloaded as a JSON file.');
    } catch {
      setNotice('The download did not work. Try again in a minute.');
    } finally {
      setDownloading(false);
    }
  }

  async function close(event: FormEvent) {
    event.preventDefault();
    if (!password) {
      setErrors([{ field: 'closePassword', message: 'Enter your password to close your account' }]);
      return;
    }
    setClosing(true);
    try {
      await closeAccount.mutateAsync(password);
      await signOut().catch(() => undefined);
      navigate('/', { replace: true });
    } catch (error) {
      setErrors(
        apiErrors(error, { password: 'closePassword' }, 'closePassword', { invalid_credentials: 'closePassword' }),
      );
    } finally {
      setClosing(false);
    }
  }

  return (
    <section aria-labelledby="your-data-heading">
      <h2 className="nhsuk-heading-m" id="your-data-heading">
        Your data
      </h2>
      <p>
        Download everything CoP Hub holds about you: your profile, posts, events and CPD, named poll answers, resources,
        pages, email you sent us and email we sent you. Answers to anonymous polls are not included: they are stored
        with no link to you.
      </p>
      <Notice>{notice}</Notice>
      <Button type="button" variant="secondary" busy={downloading} onClick={download}>
        Download your data
      </Button>
      <details className="nhsuk-details">
        <summary className="nhsuk-details__summary">
          <span className="nhsuk-details__summary-text">Close your account</span>
        </summary>
        <div className="nhsuk-details__text">
          <p>
            Your posts, pages and resources stay for your communities, shown as written by &quot;Former member&quot;.
            Your email address, name and handle are removed, your own lists, CPD log and notifications are deleted, and
            you are signed out everywhere. This cannot be undone.
          </p>
          <ErrorSummary errors={errors} />
          <form onSubmit={close} noValidate>
            <TextInput
              id="closePassword"
              type="password"
              label="Your password"
              autoComplete="current-password"
              value={password}
              error={errorFor(errors, 'closePassword')}
              onValue={setPassword}
            />
            <Button variant="warning" busy={closing}>
              Close my account
            </Button>
          </form>
        </div>
      </details>
    </section>
  );
}
