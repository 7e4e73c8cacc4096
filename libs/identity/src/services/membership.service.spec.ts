import { emailMatchesDomains } from './membership.service';

describe('auto-approval domains', () => {
  it('matches the domain and its subdomains only', () => {
    expect(emailMatchesDomains('sam@nhs.net', ['nhs.net'])).toBe(true);
    expect(emailMatchesDomains('sam@mft.nhs.uk', ['nhs.uk'])).toBe(true);
    expect(emailMatchesDomains('sam@evilnhs.net', ['nhs.net'])).toBe(false);
    expect(emailMatchesDomains('sam@nhs.net.example.com', ['nhs.net'])).toBe(false);
    expect(emailMatchesDomains('sam@nhs.net', [])).toBe(false);
  });
});
