import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { scaled } from './run-env';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Map<string, unknown>;
  receivedAt: number;
  /** The message as it arrived (full mode), for tests that parse it themselves. */
  raw?: Buffer;
}

/**
 * A real SMTP server inside the test process (the `smtp-server` package): the product talks SMTP to
 * it over TCP exactly as it would to a relay, and tests read what arrived.
 */
export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  private server: SMTPServer | null = null;
  private waiters: Array<() => void> = [];
  port = 0;
  readonly connectionErrors: Error[] = [];
  /** Set to make the server refuse messages (to test retries). */
  rejectWith: string | null = null;

  /** `light` keeps only the envelope, subject and Message-ID (no MIME parsing), for benchmarks. */
  constructor(private readonly mode: 'full' | 'light' = 'full') {}

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      size: 10 * 1024 * 1024,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', async () => {
          if (this.rejectWith) {
            callback(Object.assign(new Error(this.rejectWith), { responseCode: 451 }));
            return;
          }
          const raw = Buffer.concat(chunks);
          if (this.mode === 'light') {
            const head = raw.subarray(0, raw.indexOf('\r\n\r\n')).toString('utf8');
            this.messages.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              subject: /^Subject: (.*)$/im.exec(head)?.[1] ?? '',
              text: '',
              html: '',
              messageId: /^Message-ID: (.*)$/im.exec(head)?.[1]?.trim() ?? '',
              headers: new Map(),
              receivedAt: Date.now(),
            });
            callback();
            this.wake();
            return;
          }
          const parsed = await simpleParser(raw);
          this.messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            messageId: parsed.messageId ?? '',
            headers: parsed.headers as Map<string, unknown>,
            receivedAt: Date.now(),
            raw,
          });
          callback();
          this.wake();
        });
      },
    });
    // A client that dies mid-transaction (a killed worker) resets its connection; a real server shrugs.
    this.server.on('error', (error) => this.connectionErrors.push(error));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((wake) => wake());
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  to(address: string): ReceivedMail[] {
    const wanted = address.toLowerCase();
    return this.messages.filter((m) => m.to.includes(wanted));
  }

  /** Waits until `predicate` holds over the received messages, or fails after `timeoutMs`. */
  async waitFor(predicate: (messages: ReceivedMail[]) => boolean, timeoutMs = 15_000, what = 'mail'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.messages)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what} (${this.messages.length} received)`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async waitForMessageTo(address: string, subjectIncludes = '', timeoutMs = 15_000): Promise<ReceivedMail> {
    timeoutMs = scaled(timeoutMs);
    const match = () => this.to(address).find((m) => m.subject.includes(subjectIncludes));
    await this.waitFor(() => Boolean(match()), timeoutMs, `mail to ${address} "${subjectIncludes}"`);
    return match()!;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }
}

/** The token from a `…/path?token=…` link in an email body. */
export function linkToken(text: string, path: string): string {
  const match = new RegExp(`${path}\\?token=([A-Za-z0-9_-]+)`).exec(text);
  if (!match) throw new Error(`no ${path} link in:\n${text}`);
  return match[1];
}
