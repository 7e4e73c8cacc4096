import { dkimSign } from 'mailauth/lib/dkim/sign';
import type { DNSResolver } from 'mailauth';
import { generateKeyPairSync, KeyObject } from 'node:crypto';
import nodemailer, { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';

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

/** Builds the RFC 5322 message nodemailer would send. */
export function compose(mail: Mail.Options): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    new MailComposer(mail).compile().build((error, message) => (error ? reject(error) : resolve(message))),
  );
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
