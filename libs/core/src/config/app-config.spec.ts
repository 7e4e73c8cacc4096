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

  describe('file storage (STORAGE)', () => {
    const S3 = { ...BASE, STORAGE: 's3', S3_BUCKET: 'cophub-files', S3_REGION: 'eu-west-2' };
    const AZURE_KEY = 'a2V5LWtleS1rZXk=';
    const AZURE = {
      ...BASE,
      STORAGE: 'azure',
      AZURE_STORAGE_CONNECTION_STRING: `DefaultEndpointsProtocol=https;AccountName=cophub;AccountKey=${AZURE_KEY};EndpointSuffix=core.windows.net`,
      AZURE_STORAGE_CONTAINER: 'cophub-files',
    };
    const problemsOf = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return '';
      } catch (error) {
        return (error as ConfigValidationError).problems.join('\n');
      }
    };

    it('is local disk unless told otherwise, and ignores the stores it does not use', () => {
      expect(loadConfig(BASE).files.storage).toEqual({ kind: 'disk', timeoutMs: 10_000 });
      expect(loadConfig({ ...BASE, S3_BUCKET: 'Not A Bucket' }).files.storage.kind).toBe('disk');
    });

    it('reads an S3 bucket, with the default credentials when no key pair is given', () => {
      expect(
        loadConfig({ ...S3, S3_ENDPOINT: 'http://minio:9000', S3_FORCE_PATH_STYLE: 'true' }).files.storage,
      ).toEqual({
        kind: 's3',
        timeoutMs: 10_000,
        s3: {
          endpoint: 'http://minio:9000',
          region: 'eu-west-2',
          bucket: 'cophub-files',
          accessKeyId: null,
          secretAccessKey: null,
          forcePathStyle: true,
        },
      });
    });

    it('reads an Azure Blob container', () => {
      const storage = loadConfig(AZURE).files.storage;
      expect(storage).toMatchObject({ kind: 'azure', azure: { container: 'cophub-files' } });
      expect(
        loadConfig({ ...AZURE, AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' }).files.storage.kind,
      ).toBe('azure');
    });

    it('lists every storage problem at once with the setting to fix', () => {
      expect(problemsOf({ ...BASE, STORAGE: 'ftp' })).toMatch(/STORAGE must be one of disk, s3, azure \(got "ftp"\)/);
      const s3 = problemsOf({
        ...BASE,
        STORAGE: 's3',
        S3_ENDPOINT: 'minio:9000',
        S3_ACCESS_KEY_ID: 'only-half',
        STORAGE_TIMEOUT_MS: '0',
      });
      expect(s3).toMatch(/S3_BUCKET is required when STORAGE=s3/);
      expect(s3).toMatch(/S3_REGION is required when STORAGE=s3/);
      expect(s3).toMatch(/S3_ENDPOINT must/);
      expect(s3).toMatch(/S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together/);
      expect(s3).toMatch(/STORAGE_TIMEOUT_MS must be a whole number/);
      expect(problemsOf({ ...S3, S3_BUCKET: 'My_Files' })).toMatch(/S3_BUCKET must be a bucket name/);
      const azure = problemsOf({ ...BASE, STORAGE: 'azure' });
      expect(azure).toMatch(/AZURE_STORAGE_CONNECTION_STRING is required when STORAGE=azure/);
      expect(azure).toMatch(/AZURE_STORAGE_CONTAINER is required when STORAGE=azure/);
      expect(problemsOf({ ...AZURE, AZURE_STORAGE_CONTAINER: 'two--hyphens' })).toMatch(
        /AZURE_STORAGE_CONTAINER must be a container name/,
      );
    });

    it('never repeats a connection string it refuses (it holds the account key)', () => {
      const secret = 'AccountName=cophub;NotAKey=' + AZURE_KEY;
      const problems = problemsOf({ ...AZURE, AZURE_STORAGE_CONNECTION_STRING: secret });
      expect(problems).toMatch(/AZURE_STORAGE_CONNECTION_STRING must be a storage account connection string/);
      expect(problems).not.toContain(AZURE_KEY);
    });
  });
});
