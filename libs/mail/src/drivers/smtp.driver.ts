import nodemailer, { Transporter } from 'nodemailer';
import type { MailDriver, OutgoingMail } from './mail-driver';

/** Sends through nodemailer over a pool of SMTP connections to the server named by `SMTP_URL`. */
export class SmtpDriver implements MailDriver {
  readonly transport = 'smtp' as const;
  private readonly transporter: Transporter;

  constructor(smtpUrl: string, maxConnections: number) {
    const url = new URL(smtpUrl);
    const insecureLocal = ['127.0.0.1', 'localhost', '::1'].includes(url.hostname);
    this.transporter = nodemailer.createTransport({
      pool: true,
      maxConnections,
      maxMessages: Infinity,
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
      secure: url.protocol === 'smtps:',
      auth: url.username
        ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
        : undefined,
      // A local catcher (tests, MailHog/Mailpit in docker compose) has no certificate to verify.
      ignoreTLS: insecureLocal && url.protocol === 'smtp:',
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.transporter.sendMail({
      from: mail.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
      headers: mail.headers,
      attachments: mail.attachments,
      ...(mail.envelopeFrom ? { envelope: { from: mail.envelopeFrom, to: mail.to } } : {}),
    });
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}
