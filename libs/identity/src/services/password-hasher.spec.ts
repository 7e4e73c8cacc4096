import { passwordProblem } from './password-hasher';

describe('password policy', () => {
  it.each([
    ['too short', 'Abc-12345', /at least 10/],
    ['too common', 'Password123', /too common/],
    ['one repeated character', 'aaaaaaaaaaaa', /too few different characters/],
    ['containing the email name', 'sam.patel-2026!', /email/],
  ])('refuses a password that is %s', (_what, password, message) => {
    expect(passwordProblem(password, { email: 'sam.patel@nhs.net' })).toMatch(message);
  });

  it('accepts a long passphrase', () => {
    expect(passwordProblem('Quiet-Harbour-Lamp-7', { email: 'sam.patel@nhs.net' })).toBeNull();
  });
});
