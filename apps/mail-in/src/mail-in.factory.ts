import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { DNSResolver } from 'mailauth';
import { Logger } from 'nestjs-pino';
import { AppConfig, Clock, ConfigValidationError } from '@cophub/core';
import { MailInAppModule } from './mail-in-app.module';
import { SmtpListener } from './smtp-listener';

export interface MailInOptions {
  clock?: Clock;
  logs?: boolean;
  /** DNS answers for SPF, DKIM and DMARC (tests pass a stub); the system resolver otherwise. */
  resolver?: DNSResolver;
}

export interface MailInApp {
  app: INestApplicationContext;
  /** The port the SMTP server listens on (useful with MAIL_IN_PORT=0). */
  port: number;
}

/** An application context (no HTTP) running the SMTP server; `main.ts` and the tests both use this. */
export async function createMailIn(config: AppConfig, options: MailInOptions = {}): Promise<MailInApp> {
  if (!config.mailIn.domain) {
    throw new ConfigValidationError(['MAIL_IN_DOMAIN is required to run the inbound mail app (e.g. mail.example.org)']);
  }
  const app = await NestFactory.createApplicationContext(
    MailInAppModule.forRoot({ config, clock: options.clock, resolver: options.resolver }),
    { bufferLogs: true, abortOnError: false },
  );
  app.useLogger(options.logs === false ? false : app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
  // The SMTP server starts once everything else has: a start that fails then (an unusable
  // certificate, a port in use) can close the context, leaving no pools or timers open.
  const listener = app.get(SmtpListener);
  try {
    await listener.start();
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  return { app, port: listener.port };
}
