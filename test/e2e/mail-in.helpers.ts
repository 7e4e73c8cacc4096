import { dkimSign } from 'mailauth/lib/dkim/sign';
import type { DNSResolver } from 'mailauth';
import { generateKeyPairSync, KeyObject } from 'node:crypto';
import nodemailer, { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { TestStack } from '@cophub/testing';

export { compose } from '@cophub/testing';

/** A sending domain as the test's DNS knows it: a DKIM key, an SPF record and a DMARC policy. */
export interface TestDomain {
  name: string;
  selector: string;
  privateKey: string;
}

export function makeDomain(name: string, selector = 'test'): TestDomain & { publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { name, selector, privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey };
}

/**
 * DNS for mailauth without the network: each domain publishes its DKIM key, `v=spf1 ip4:127.0.0.1
 * -all` (the test sends from localhost) and a DMARC policy. Everything else does not exist.
 */
export function stubResolver(
  domains: Array<{ name: string; selector: string; publicKey: KeyObject; dmarc?: string; spf?: string }>,
): DNSResolver {
  const records = new Map<string, string[][]>();
  for (const d of domains) {
    const der = d.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    records.set(`${d.selector}._domainkey.${d.name}:TXT`, [[`v=DKIM1; k=rsa; p=${der}`]]);
    records.set(`${d.name}:TXT`, [[d.spf ?? 'v=spf1 ip4:127.0.0.1 -all']]);
    records.set(`_dmarc.${d.name}:TXT`, [[d.dmarc ?? 'v=DMARC1; p=reject']]);
  }
  return async (name, rrtype) => {
    const found = records.get(`${name.toLowerCase()}:${rrtype}`);
    if (found) return found;
    throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  };
}

/** Signs a raw message with DKIM (mailauth's signer), as the sender's mail server would. */
export async function signed(raw: Buffer, domain: TestDomain): Promise<Buffer> {
  const key = { signingDomain: domain.name, selector: domain.selector, privateKey: domain.privateKey };
  // The typings ask for the key at the top level, but the signer only reads `signatureData`.
  const result = await dkimSign(raw, { canonicalization: 'relaxed/relaxed', ...key, signatureData: [key] });
  if (result.errors.length) throw result.errors[0].err;
  if (!result.signatures) throw new Error('no DKIM signature was made');
  return Buffer.concat([Buffer.from(result.signatures), raw]);
}

/** A real SMTP client (nodemailer) talking to the running mail-in app. */
export function smtpClient(port: number): Transporter<SMTPTransport.SentMessageInfo> {
  const options: SMTPTransport.Options = { host: '127.0.0.1', port, secure: false, ignoreTLS: true };
  return nodemailer.createTransport(options);
}

export async function sendRaw(
  client: Transporter<SMTPTransport.SentMessageInfo>,
  raw: Buffer,
  envelope: { from: string; to: string[] },
) {
  return client.sendMail({ envelope: { from: envelope.from, to: envelope.to }, raw });
}

/**
 * A bare SMTP client over a socket, for what nodemailer will not do: it sends a message larger than
 * the server's announced SIZE (nodemailer refuses that itself) in 64 kB writes, honouring
 * back-pressure, and returns the server's answer to the end of DATA.
 */
export async function sendOversized(
  port: number,
  envelope: { from: string; to: string },
  head: Buffer,
  padBytes: number,
  /** Runs once everything but the final dot is written: the server has the whole message in hand. */
  beforeEnd?: () => Promise<void>,
): Promise<{ code: number; text: string }> {
  const { connect } = await import('node:net');
  const socket = connect(port, '127.0.0.1');
  let buffered = '';
  const waiting: Array<(line: string) => void> = [];
  socket.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('latin1');
    let at: number;
    while ((at = buffered.indexOf('\r\n')) >= 0) {
      const line = buffered.slice(0, at);
      buffered = buffered.slice(at + 2);
      // Multi-line answers ("250-…") end with the line whose code is followed by a space.
      if (/^\d{3} /.test(line)) waiting.shift()?.(line);
    }
  });
  const closed = new Promise<never>((_resolve, reject) => {
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('connection closed')));
  });
  closed.catch(() => undefined);
  const answer = () => Promise.race([new Promise<string>((resolve) => waiting.push(resolve)), closed]);
  const command = async (line: string) => {
    const next = answer();
    socket.write(`${line}\r\n`);
    return next;
  };
  try {
    await answer();
    await command('EHLO client.test');
    await command(`MAIL FROM:<${envelope.from}>`);
    await command(`RCPT TO:<${envelope.to}>`);
    await command('DATA');
    const final = answer();
    const write = (data: Buffer): Promise<void> =>
      socket.write(data)
        ? Promise.resolve()
        : Promise.race([new Promise<void>((r) => socket.once('drain', r)), closed]);
    await write(head);
    const line = Buffer.alloc(64 * 1024, 'A');
    for (let i = 0; i < 64 * 1024; i += 76) line.write('\r\n', i);
    for (let sent = 0; sent < padBytes; sent += line.length) await write(line);
    await beforeEnd?.();
    await write(Buffer.from('\r\n.\r\n'));
    const text = await final;
    socket.end('QUIT\r\n');
    return { code: Number(text.slice(0, 3)), text };
  } finally {
    socket.destroy();
  }
}

/** The provider's inbound webhook, called as a provider would: the raw message, its envelope and the shared secret. */
export function postToWebhook(stack: TestStack, raw: Buffer, query: { from?: string; to: string }, secret: string) {
  return stack
    .http()
    .post(`/api/v1/mail-in/messages?${new URLSearchParams(query).toString()}`)
    .set('Authorization', `Bearer ${secret}`)
    .set('Content-Type', 'message/rfc822')
    .send(raw);
}
