import { ConfigValidationError, loadConfig } from './app-config';

const BASE = { JWT_SECRET: 'x'.repeat(40) };

describe('configuration', () => {
  it('applies documented defaults for a local machine', () => {
    const config = loadConfig(BASE);
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/cophub');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.http.port).toBe(3000);
    expect(config.mail.smtpUrl).toBeNull();
    expect(config.publicUrl).toBe('http://localhost:3000');
  });

  it('lists every problem at once instead of failing on the first', () => {
    try {
      loadConfig({
        JWT_SECRET: 'short',
        PORT: 'eighty',
        REDIS_URL: 'http://x',
        SMTP_URL: 'ftp://mail',
        LOG_LEVEL: 'loud',
      });
      throw new Error('expected a validation error');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigValidationError);
      const problems = (error as ConfigValidationError).problems.join('\n');
      expect(problems).toMatch(/JWT_SECRET must be at least 32 characters/);
      expect(problems).toMatch(/PORT must be a whole number/);
      expect(problems).toMatch(/REDIS_URL must use redis: or rediss:/);
      expect(problems).toMatch(/SMTP_URL must use smtp: or smtps:/);
      expect(problems).toMatch(/LOG_LEVEL/);
    }
  });

  it('requires a signing secret and, in production, an SMTP server', () => {
    expect(() => loadConfig({})).toThrow(/JWT_SECRET is required/);
    expect(() => loadConfig({ ...BASE, NODE_ENV: 'production' })).toThrow(/SMTP_URL is required in production/);
    expect(loadConfig({ ...BASE, NODE_ENV: 'production', SMTP_URL: 'smtp://relay:25' }).mail.smtpUrl).toBe(
      'smtp://relay:25',
    );
  });

  it('takes a TLS certificate for inbound mail only as a pair, and requires TLS only with one', () => {
    expect(loadConfig(BASE).mailIn.tls).toMatchObject({ certFile: null, keyFile: null, required: false });
    expect(() => loadConfig({ ...BASE, MAIL_IN_TLS_CERT_FILE: '/etc/cert.pem' })).toThrow(/must be set together/);
    expect(() => loadConfig({ ...BASE, MAIL_IN_TLS_REQUIRED: 'true' })).toThrow(/MAIL_IN_TLS_REQUIRED needs/);
    const tls = loadConfig({
      ...BASE,
      MAIL_IN_TLS_CERT_FILE: '/etc/cert.pem',
      MAIL_IN_TLS_KEY_FILE: '/etc/key.pem',
      MAIL_IN_TLS_REQUIRED: 'true',
    }).mailIn.tls;
    expect(tls).toMatchObject({ certFile: '/etc/cert.pem', keyFile: '/etc/key.pem', required: true });
  });
});
