import type { INestApplicationContext } from '@nestjs/common';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { createMailIn } from '../../apps/mail-in/src/mail-in.factory';
import { createCommunity, createMember, eventually, TestCommunity, TestStack, TestUser } from '@cophub/testing';
import { compose, makeDomain, signed, stubResolver } from './mail-in.helpers';

const DOMAIN = 'tls.cophub.test';
const trust = makeDomain('trust.example');
const resolver = stubResolver([trust]);

/** A self-signed certificate for the inbound domain, as a certificate authority would issue one. */
function issueCertificate(dir: string, name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.cert.pem`);
  const key = join(dir, `${name}.key.pem`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      `/CN=${DOMAIN}`,
      '-addext',
      `subjectAltName=DNS:${DOMAIN}`,
    ],
    { stdio: 'ignore' },
  );
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
}

jest.setTimeout(180_000);

describe('inbound mail over STARTTLS', () => {
  let dir: string;
  let certFile: string;
  let keyFile: string;
  let first: { cert: string; key: string };
  let stack: TestStack;
  let mailIn: INestApplicationContext;
  let port: number;
  let community: TestCommunity;
  let alice: TestUser;
  let share: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cophub-mail-in-tls-'));
    first = issueCertificate(dir, 'first');
    certFile = join(dir, 'live.cert.pem');
    keyFile = join(dir, 'live.key.pem');
    writeFileSync(certFile, first.cert);
    writeFileSync(keyFile, first.key);
    stack = await TestStack.start({
      env: {
        MAIL_IN_DOMAIN: DOMAIN,
        MAIL_IN_PORT: '0',
        MAIL_IN_TLS_CERT_FILE: certFile,
        MAIL_IN_TLS_KEY_FILE: keyFile,
        MAIL_IN_TLS_REQUIRED: 'true',
        MAIL_IN_TLS_RELOAD_INTERVAL_MS: '200',
      },
      mailInResolver: resolver,
    });
    const started = await createMailIn(stack.config, { resolver, logs: false, clock: stack.clock });
    mailIn = started.app;
    port = started.port;
    community = await createCommunity(stack, { slug: `tls-${randomUUID().slice(0, 6)}` });
    alice = await createMember(stack, community, 'member', {
      displayName: 'Alice Archer',
      email: `alice.${randomUUID().slice(0, 6)}@trust.example`,
    });
    share = `share+${community.slug}@${DOMAIN}`;
  });

  afterAll(async () => {
    await mailIn?.close();
    await stack?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A sending server that trusts only `ca`; `plain` never starts TLS. */
  function sender(options: { ca?: string; plain?: boolean }) {
    const transport: SMTPTransport.Options = options.plain
      ? { host: '127.0.0.1', port, secure: false, ignoreTLS: true }
      : { host: '127.0.0.1', port, secure: false, requireTLS: true, tls: { ca: options.ca, servername: DOMAIN } };
    return nodemailer.createTransport(transport);
  }

  async function shareOver(client: nodemailer.Transporter, subject: string) {
    const messageId = `<${randomUUID()}@trust.example>`;
    const raw = await signed(
      await compose({ from: alice.email, to: share, subject, text: 'Shared over TLS.', messageId }),
      trust,
    );
    try {
      await client.sendMail({ envelope: { from: alice.email, to: [share] }, raw });
    } finally {
      client.close();
    }
    return messageId;
  }

  const stored = async (messageId: string) =>
    (await stack.query('SELECT 1 FROM inbound_messages WHERE message_id = $1', [messageId.toLowerCase()])).length;

  it('will not start with a certificate it cannot use, and says which setting is wrong', async () => {
    const tls = { ...stack.config.mailIn.tls, keyFile: join(dir, 'missing.key.pem') };
    const config = { ...stack.config, mailIn: { ...stack.config.mailIn, port: 0, tls } };
    await expect(createMailIn(config, { resolver, logs: false })).rejects.toThrow(
      /MAIL_IN_TLS_CERT_FILE \/ MAIL_IN_TLS_KEY_FILE are not a usable certificate and key/,
    );
    // A key that is not the certificate's.
    const other = issueCertificate(dir, 'other');
    writeFileSync(join(dir, 'other-only.key.pem'), other.key);
    const mismatched = { ...stack.config.mailIn.tls, keyFile: join(dir, 'other-only.key.pem') };
    await expect(
      createMailIn(
        { ...stack.config, mailIn: { ...stack.config.mailIn, port: 0, tls: mismatched } },
        { resolver, logs: false },
      ),
    ).rejects.toThrow(/not a usable certificate/);
  });

  it('refuses a sender that will not start TLS, at MAIL FROM, and keeps nothing', async () => {
    await expect(shareOver(sender({ plain: true }), 'In the clear')).rejects.toMatchObject({ responseCode: 530 });
    const rows = await stack.query(`SELECT 1 FROM inbound_messages WHERE subject = 'In the clear'`);
    expect(rows).toHaveLength(0);
  });

  it('takes mail over STARTTLS from a sender that verifies our certificate', async () => {
    const messageId = await shareOver(sender({ ca: first.cert }), 'Over TLS');
    await eventually(async () => (await stored(messageId)) === 1, 'the message stored');
    const submissions = await stack.query<{ subject: string }>(
      `SELECT subject FROM mail_submissions WHERE community_id = $1`,
      [community.id],
    );
    expect(submissions.map((s) => s.subject)).toContain('Over TLS');
  });

  it('serves a renewed certificate without a restart, and keeps the old one when the new files are broken', async () => {
    // Broken files (a half-written renewal) are not taken: the certificate in use stays.
    writeFileSync(certFile, 'not a certificate');
    await new Promise((r) => setTimeout(r, 1_000));
    const stillFirst = await shareOver(sender({ ca: first.cert }), 'During a broken renewal');
    await eventually(async () => (await stored(stillFirst)) === 1, 'the message stored');

    const second = issueCertificate(dir, 'second');
    writeFileSync(keyFile, second.key);
    writeFileSync(certFile, second.cert);
    // New connections get the new certificate: a sender trusting only it gets through, one trusting
    // only the old one no longer does.
    const renewed = await eventually(
      async () => shareOver(sender({ ca: second.cert }), 'After renewal').catch(() => null),
      'the renewed certificate served',
    );
    await eventually(async () => (await stored(renewed)) === 1, 'the message stored');
    await expect(shareOver(sender({ ca: first.cert }), 'Old certificate')).rejects.toThrow(/certificate/i);
  });
});
