import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readStorageSettings, StorageSettings } from './storage-settings';

/**
 * Every setting the product reads from the environment, validated once before bootstrap.
 * Secrets are marked so they are never logged. The README and `.env.example` list the same names.
 */
export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  http: {
    host: string;
    port: number;
    trustProxy: boolean;
    bodyLimit: string;
    corsOrigins: string[];
    /** The built web app (index.html + assets) the API serves at `/`; null to serve the API only. */
    webRoot: string | null;
    /** A request still running after this answers 503 and its transaction cannot commit. */
    requestTimeoutMs: number;
    /** On SIGTERM, in-flight requests (and the worker's jobs) get this long before the process exits. */
    shutdownTimeoutMs: number;
    /** How long a stored `Idempotency-Key` answer is replayed. */
    idempotencyTtlHours: number;
  };
  publicUrl: string;
  databaseUrl: string;
  database: {
    /** Connections each process keeps in its pool (the worker adds its mail concurrency). */
    poolSize: number;
    /** Longest wait for a free pool connection before the request answers 503. */
    poolWaitMs: number;
    /** PostgreSQL cancels any statement running longer than this (503 to the client). */
    statementTimeoutMs: number;
    /** PostgreSQL gives up waiting for a row or table lock after this (503 to the client). */
    lockTimeoutMs: number;
  };
  redisUrl: string;
  queuePrefix: string;
  auth: {
    jwtSecret: string;
    /**
     * POLL_BALLOT_KEY: the key sealed anonymous ballots are encrypted under (per poll, by HKDF).
     * Null when unset: the key is then derived from JWT_SECRET, as before the setting existed.
     */
    pollBallotKey: string | null;
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
    emailVerificationTtlHours: number;
    passwordResetTtlMinutes: number;
    argon2MemoryKiB: number;
  };
  sessions: {
    /** How long an instance reuses "this sign-in is live" and membership answers (changes reach it through Redis). */
    cacheSeconds: number;
    /** The same, while this instance's Redis subscription is down and changes elsewhere cannot reach it. */
    cacheSecondsWithoutRedis: number;
  };
  rateLimits: {
    loginPerIpPerMinute: number;
    /** Wrong passwords for one account from one client address before each attempt must wait. */
    loginFailuresBeforeDelay: number;
    /** The longest such wait (waits double from 1 s). */
    loginMaxDelaySeconds: number;
    registerPerIpPerHour: number;
    passwordResetPerIpPerHour: number;
    votesPerUserPerMinute: number;
  };
  polls: {
    /** How often the worker scans PostgreSQL for polls overdue to open, close or remind. */
    scanIntervalMs: number;
  };
  /** How long personal data with a limited life is kept (docs/privacy.md), and how often the worker deletes it. */
  retention: {
    intervalMs: number;
    /** Sent, dead and suppressed outbox messages. */
    mailOutboxDays: number;
    /** Audit-log rows. */
    auditDays: number;
    /** Sign-ins that ended (expired or revoked) and used or expired email links. */
    endedSessionDays: number;
  };
  mail: {
    smtpUrl: string | null;
    from: string;
    concurrency: number;
    maxAttempts: number;
    lockSeconds: number;
    retryBaseSeconds: number;
    reconcileIntervalMs: number;
  };
  events: {
    /** How often the worker scans PostgreSQL for due or unqueued reminders. */
    reminderScanIntervalMs: number;
  };
  notifications: {
    /** UK hour (0–23) from which each day's digest goes out. */
    digestHour: number;
    digestScanIntervalMs: number;
  };
  forum: {
    /** Budget of each API instance's in-process cache of rendered thread pages and thread summaries. */
    cacheMaxBytes: number;
    /** Also share cached pages between instances through Redis (entries are keyed by version, never stale). */
    cacheRedis: boolean;
  };
  files: {
    /**
     * Where the local-disk storage adapter keeps uploaded files; outside any web root. With an object
     * store, uploads are staged here (checked on local disk) before they are sent to the store.
     */
    storageDir: string;
    /** Largest accepted upload, in bytes. */
    uploadMaxBytes: number;
    /** Where accepted files live: local disk, an S3-compatible bucket or an Azure Blob container. */
    storage: StorageSettings;
  };
  /** Inbound mail (`apps/mail-in` and the provider webhook). */
  mailIn: {
    /** The domain community and reply addresses live at; null turns inbound mail (and Reply-To) off. */
    domain: string | null;
    host: string;
    port: number;
    maxMessageBytes: number;
    maxAttachments: number;
    maxAttachmentBytes: number;
    maxClients: number;
    /** Raw messages are deleted this many days after they arrived; the verdict and outcome stay. */
    rawRetentionDays: number;
    purgeIntervalMs: number;
    /** How long a Reply-To address in a notification email keeps working. */
    replyTokenDays: number;
    /** Shared secret of the provider inbound webhook; null disables the endpoint. */
    webhookSecret: string | null;
    /** Polite replies to one sender address at most this often (hours). */
    refusalReplyHours: number;
    /**
     * STARTTLS on the SMTP port: offered when a certificate and key are set (PEM files, re-read when
     * they change, so a renewed certificate needs no restart); `required` refuses MAIL FROM on a
     * connection that has not started TLS.
     */
    tls: { certFile: string | null; keyFile: string | null; required: boolean; reloadIntervalMs: number };
    /**
     * Hosts of the inbound provider whose `Received:` lines are believed for the client IP when the
     * webhook does not pass it (lower case; empty: no line is believed and SPF is not evaluated).
     */
    trustedReceivedHosts: string[];
    /** Recipients taken per SMTP transaction (and per webhook call); more get 452 4.5.3. */
    maxRecipients: number;
    /** A bounce counts only if it arrives within this many days of the message it reports on. */
    bounceDays: number;
    /** How long the "post this reply" link of an unauthenticated emailed reply works (hours). */
    replyConfirmHours: number;
  };
  metrics: {
    /** When set, `/metrics` answers only `Authorization: Bearer <token>`. */
    token: string | null;
    /** The worker's and mail-in's metrics port; null: they serve none (the API serves /metrics on PORT). */
    port: number | null;
    host: string;
  };
  logLevel: string;
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigValidationError';
  }
}

type Env = Record<string, string | undefined>;

/** Reads `KEY=value` lines from a `.env` file without overriding variables already set. */
export function loadDotEnv(path = resolve(process.cwd(), '.env'), env: Env = process.env): void {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return;
  }
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/.exec(line);
    if (!match || line.trimStart().startsWith('#')) continue;
    const [, key, raw] = match;
    if (env[key] !== undefined) continue;
    env[key] = raw.replace(/^(['"])(.*)\1$/, '$2');
  }
}

/** Reads settings by name and gathers every problem, so start-up reports them all at once. */
export class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  string(name: string, fallback?: string): string {
    const value = this.env[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    this.problems.push(`${name} is required`);
    return '';
  }

  optional(name: string): string | null {
    const value = this.env[name];
    return value === undefined || value === '' ? null : value;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
    if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
    this.problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  }

  url(name: string, fallback: string | undefined, protocols: string[]): string {
    const value = this.string(name, fallback);
    if (!value) return value;
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) {
        this.problems.push(`${name} must use ${protocols.join(' or ')} (got "${parsed.protocol}")`);
      }
    } catch {
      this.problems.push(`${name} must be a URL (got "${value}")`);
    }
    return value;
  }
}

/** `WEB_ROOT=off` serves the API alone; unset means the production build's `dist/web`. */
function webRootOf(value: string | null): string | null {
  if (value === 'off' || value === 'none') return null;
  return resolve(value || 'dist/web');
}

export function loadConfig(env: Env = process.env): AppConfig {
  const read = new Reader(env);
  const nodeEnvRaw = read.string('NODE_ENV', 'development');
  if (!['development', 'production', 'test'].includes(nodeEnvRaw)) {
    read.problems.push(`NODE_ENV must be development, production or test (got "${nodeEnvRaw}")`);
  }
  const nodeEnv = nodeEnvRaw as AppConfig['nodeEnv'];
  const port = read.int('PORT', 3000, 0, 65535);
  const jwtSecret = read.string('JWT_SECRET');
  if (jwtSecret && jwtSecret.length < 32) read.problems.push('JWT_SECRET must be at least 32 characters');
  const pollBallotKey = read.optional('POLL_BALLOT_KEY') ?? null;
  if (pollBallotKey !== null && pollBallotKey.length < 32) {
    read.problems.push('POLL_BALLOT_KEY must be at least 32 characters');
  }
  const smtpUrl = read.optional('SMTP_URL');
  if (smtpUrl) read.url('SMTP_URL', undefined, ['smtp:', 'smtps:']);
  if (nodeEnv === 'production' && !smtpUrl) {
    read.problems.push('SMTP_URL is required in production (without it mail is only kept in the local outbox)');
  }

  const config: AppConfig = {
    nodeEnv,
    http: {
      host: read.string('HOST', '127.0.0.1'),
      port,
      trustProxy: read.bool('TRUST_PROXY', false),
      bodyLimit: read.string('HTTP_BODY_LIMIT', '256kb'),
      corsOrigins: (read.optional('CORS_ORIGINS') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      webRoot: webRootOf(read.optional('WEB_ROOT')),
      requestTimeoutMs: read.int('REQUEST_TIMEOUT_MS', 15_000, 100, 600_000),
      shutdownTimeoutMs: read.int('SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
      idempotencyTtlHours: read.int('IDEMPOTENCY_TTL_HOURS', 24, 1, 24 * 30),
    },
    publicUrl: read.url('PUBLIC_URL', `http://localhost:${port || 3000}`, ['http:', 'https:']).replace(/\/$/, ''),
    databaseUrl: read.url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/cophub', ['postgres:', 'postgresql:']),
    database: {
      poolSize: read.int('DATABASE_POOL_SIZE', 20, 1, 1_000),
      poolWaitMs: read.int('DATABASE_POOL_WAIT_MS', 3_000, 50, 120_000),
      statementTimeoutMs: read.int('DATABASE_STATEMENT_TIMEOUT_MS', 10_000, 100, 3_600_000),
      lockTimeoutMs: read.int('DATABASE_LOCK_TIMEOUT_MS', 5_000, 50, 3_600_000),
    },
    redisUrl: read.url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    queuePrefix: read.string('QUEUE_PREFIX', 'cophub'),
    auth: {
      jwtSecret,
      pollBallotKey,
      accessTokenTtlSeconds: read.int('ACCESS_TOKEN_TTL_SECONDS', 900, 30, 86_400),
      refreshTokenTtlSeconds: read.int('REFRESH_TOKEN_TTL_SECONDS', 30 * 86_400, 60, 365 * 86_400),
      emailVerificationTtlHours: read.int('EMAIL_VERIFICATION_TTL_HOURS', 48, 1, 24 * 30),
      passwordResetTtlMinutes: read.int('PASSWORD_RESET_TTL_MINUTES', 60, 5, 24 * 60),
      argon2MemoryKiB: read.int('ARGON2_MEMORY_KIB', 19_456, 8_192, 1_048_576),
    },
    sessions: {
      cacheSeconds: read.int('SESSION_CACHE_SECONDS', 30, 0, 3_600),
      cacheSecondsWithoutRedis: read.int('SESSION_CACHE_SECONDS_WITHOUT_REDIS', 5, 0, 3_600),
    },
    rateLimits: {
      loginPerIpPerMinute: read.int('RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE', 30, 1, 10_000_000),
      loginFailuresBeforeDelay: read.int('LOGIN_FAILURES_BEFORE_DELAY', 5, 0, 1_000),
      loginMaxDelaySeconds: read.int('LOGIN_MAX_DELAY_SECONDS', 900, 1, 86_400),
      registerPerIpPerHour: read.int('RATE_LIMIT_REGISTER_PER_IP_PER_HOUR', 20, 1, 10_000_000),
      passwordResetPerIpPerHour: read.int('RATE_LIMIT_PASSWORD_RESET_PER_IP_PER_HOUR', 10, 1, 10_000_000),
      votesPerUserPerMinute: read.int('RATE_LIMIT_VOTES_PER_USER_PER_MINUTE', 30, 1, 10_000_000),
    },
    polls: {
      scanIntervalMs: read.int('POLL_SCAN_INTERVAL_MS', 60_000, 200, 3_600_000),
    },
    retention: {
      intervalMs: read.int('RETENTION_INTERVAL_MS', 3_600_000, 1_000, 86_400_000),
      mailOutboxDays: read.int('MAIL_OUTBOX_RETENTION_DAYS', 90, 1, 3650),
      auditDays: read.int('AUDIT_RETENTION_DAYS', 730, 30, 3650),
      endedSessionDays: read.int('ENDED_SESSION_RETENTION_DAYS', 30, 1, 3650),
    },
    mail: {
      smtpUrl,
      from: read.string('MAIL_FROM', 'CoP Hub <no-reply@cophub.localhost>'),
      concurrency: read.int('MAIL_CONCURRENCY', 20, 1, 500),
      maxAttempts: read.int('MAIL_MAX_ATTEMPTS', 8, 1, 50),
      lockSeconds: read.int('MAIL_LOCK_SECONDS', 120, 1, 3600),
      retryBaseSeconds: read.int('MAIL_RETRY_BASE_SECONDS', 30, 1, 3600),
      reconcileIntervalMs: read.int('RECONCILE_INTERVAL_MS', 30_000, 200, 3_600_000),
    },
    events: {
      reminderScanIntervalMs: read.int('REMINDER_SCAN_INTERVAL_MS', 60_000, 100, 3_600_000),
    },
    notifications: {
      digestHour: read.int('DIGEST_HOUR', 7, 0, 23),
      digestScanIntervalMs: read.int('DIGEST_SCAN_INTERVAL_MS', 300_000, 100, 3_600_000),
    },
    forum: {
      cacheMaxBytes: read.int('FORUM_CACHE_MAX_MB', 32, 0, 1024) * 1024 * 1024,
      cacheRedis: read.bool('FORUM_CACHE_REDIS', false),
    },
    files: {
      storageDir: resolve(read.string('STORAGE_DIR', './var/storage')),
      uploadMaxBytes: read.int('UPLOAD_MAX_BYTES', 25 * 1024 * 1024, 1024, 10 * 1024 * 1024 * 1024),
      storage: readStorageSettings(read),
    },
    mailIn: {
      domain: read.optional('MAIL_IN_DOMAIN')?.toLowerCase() ?? null,
      host: read.string('MAIL_IN_HOST', '127.0.0.1'),
      port: read.int('MAIL_IN_PORT', 2525, 0, 65535),
      maxMessageBytes: read.int('MAIL_IN_MAX_MESSAGE_BYTES', 35 * 1024 * 1024, 10 * 1024, 200 * 1024 * 1024),
      maxAttachments: read.int('MAIL_IN_MAX_ATTACHMENTS', 10, 0, 100),
      maxAttachmentBytes: read.int('MAIL_IN_MAX_ATTACHMENT_BYTES', 25 * 1024 * 1024, 1024, 200 * 1024 * 1024),
      maxClients: read.int('MAIL_IN_MAX_CLIENTS', 100, 1, 10_000),
      rawRetentionDays: read.int('MAIL_IN_RAW_RETENTION_DAYS', 30, 0, 3650),
      purgeIntervalMs: read.int('MAIL_IN_PURGE_INTERVAL_MS', 3_600_000, 100, 86_400_000),
      replyTokenDays: read.int('MAIL_IN_REPLY_TOKEN_DAYS', 60, 1, 3650),
      webhookSecret: read.optional('MAIL_IN_WEBHOOK_SECRET'),
      refusalReplyHours: read.int('MAIL_IN_REFUSAL_REPLY_HOURS', 24, 1, 24 * 30),
      tls: {
        certFile: read.optional('MAIL_IN_TLS_CERT_FILE'),
        keyFile: read.optional('MAIL_IN_TLS_KEY_FILE'),
        required: read.bool('MAIL_IN_TLS_REQUIRED', false),
        reloadIntervalMs: read.int('MAIL_IN_TLS_RELOAD_INTERVAL_MS', 600_000, 100, 86_400_000),
      },
      trustedReceivedHosts: (read.optional('MAIL_IN_TRUSTED_RECEIVED_HOSTS') ?? '')
        .split(',')
        .map((host) => host.trim().toLowerCase())
        .filter(Boolean),
      maxRecipients: read.int('MAIL_IN_MAX_RECIPIENTS', 50, 1, 1000),
      bounceDays: read.int('MAIL_IN_BOUNCE_DAYS', 7, 1, 365),
      replyConfirmHours: read.int('MAIL_IN_REPLY_CONFIRM_HOURS', 72, 1, 24 * 30),
    },
    metrics: {
      token: read.optional('METRICS_TOKEN'),
      port: read.optional('METRICS_PORT') === null ? null : read.int('METRICS_PORT', 0, 0, 65535),
      host: read.string('METRICS_HOST', '127.0.0.1'),
    },
    logLevel: read.string('LOG_LEVEL', nodeEnv === 'test' ? 'warn' : 'info'),
  };
  const { domain, webhookSecret } = config.mailIn;
  if (domain && !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(domain)) {
    read.problems.push(`MAIL_IN_DOMAIN must be a domain name such as mail.example.org (got "${domain}")`);
  }
  if (webhookSecret && webhookSecret.length < 24)
    read.problems.push('MAIL_IN_WEBHOOK_SECRET must be at least 24 characters');
  const { tls } = config.mailIn;
  if (Boolean(tls.certFile) !== Boolean(tls.keyFile))
    read.problems.push('MAIL_IN_TLS_CERT_FILE and MAIL_IN_TLS_KEY_FILE must be set together');
  if (tls.required && !tls.certFile)
    read.problems.push('MAIL_IN_TLS_REQUIRED needs MAIL_IN_TLS_CERT_FILE and MAIL_IN_TLS_KEY_FILE');
  if (config.metrics.token !== null && config.metrics.token.length < 16)
    read.problems.push('METRICS_TOKEN must be at least 16 characters');
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(config.logLevel)) {
    read.problems.push(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent`);
  }
  if (read.problems.length) throw new ConfigValidationError(read.problems);
  return config;
}

/** Names of settings whose values must never be printed. */
export const SECRET_SETTINGS = [
  'JWT_SECRET',
  'POLL_BALLOT_KEY',
  'SMTP_URL',
  'DATABASE_URL',
  'REDIS_URL',
  'MAIL_IN_WEBHOOK_SECRET',
  'S3_SECRET_ACCESS_KEY',
  'AZURE_STORAGE_CONNECTION_STRING',
  'METRICS_TOKEN',
] as const;
