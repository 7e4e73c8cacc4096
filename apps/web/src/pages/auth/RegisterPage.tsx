import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { http, ok } from '../../api/http';
import type { components } from '../../api/schema';
import { apiErrors, Button, ErrorSummary, errorFor, TextInput, type FieldError } from '../../components/forms';
import { PageHeading } from '../../components/ui';
import {
  completeProfile,
  PROFILE_FIELD_IDS,
  ProfileFields,
  validateProfile,
  type ProfileValues,
} from './profileFields';

export function RegisterPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [profile, setProfile] = useState<ProfileValues>({
    displayName: '',
    profession: '',
    careerStage: '',
    region: '',
    organisation: '',
  });
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const register = useMutation({
    mutationFn: (body: components['schemas']['RegisterDto']) => ok(http.POST('/api/v1/auth/register', { body })),
  });

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: FieldError[] = [];
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      found.push({ field: 'email', message: 'Enter an email address in the correct format, like name@nhs.net' });
    }
    if (password.length < 10) found.push({ field: 'password', message: 'Password must be at least 10 characters' });
    found.push(...validateProfile(profile));
    const complete = completeProfile(profile);
    setErrors(found);
    if (found.length || !complete) return;
    setBusy(true);
    try {
      await register.mutateAsync({
        email,
        password,
        displayName: complete.displayName.trim(),
        profession: complete.profession,
        careerStage: complete.careerStage,
        region: complete.region,
        ...(profile.organisation.trim() ? { organisation: profile.organisation.trim() } : {}),
      });
      setDone(true);
    } catch (error) {
      setErrors(
        apiErrors(error, { email: 'email', password: 'password', ...PROFILE_FIELD_IDS }, 'email', {
          email_taken: 'email',
          weak_password: 'password',
        }),
      );
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <>
        <PageHeading>Check your email</PageHeading>
        <p>
          We have sent a link to <strong>{email}</strong>. Select the link to confirm your email address, then sign in
          and join your community.
        </p>
        <p>The link works once and expires in 48 hours.</p>
      </>
    );
  }

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        <PageHeading>Create an account</PageHeading>
        <form onSubmit={submit} noValidate>
          <TextInput
            id="email"
            type="email"
            label="Email address"
            hint="Use your work email. Some communities approve nhs.net addresses straight away."
            autoComplete="email"
            spellCheck={false}
            value={email}
            error={errorFor(errors, 'email')}
            onValue={setEmail}
          />
          <TextInput
            id="password"
            type="password"
            label="Create a password"
            hint="At least 10 characters. A few unrelated words make a strong password."
            autoComplete="new-password"
            value={password}
            error={errorFor(errors, 'password')}
            onValue={setPassword}
          />
          <ProfileFields values={profile} errors={errors} onChange={setProfile} />
          <Button busy={busy}>Create account</Button>
        </form>
        <p>
          Already have an account? <Link to="/sign-in">Sign in</Link>
        </p>
      </div>
    </div>
  );
}
