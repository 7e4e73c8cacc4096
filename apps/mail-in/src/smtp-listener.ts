import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { readFile, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createSecureContext } from 'node:tls';
import { SMTPServer, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { APP_CONFIG, AppConfig, ConfigValidationError, newTraceId, runWithTrace } from '@cophub/core';
import { InboundMailService, PermanentRefusal } from '@cophub/mail-in';

/** How long a stop waits for sessions in progress before closing them. */
const DRAIN_MS = 10_000;

const smtpError = (message: string, responseCode: number) => Object.assign(new Error(message), { responseCode });

interface TlsFiles {
  key: Buffer;
  cert: Buffer;
  /** Modification times and sizes when read, to notice a renewed certificate. */
  stamp: string;
}

/** Reads the certificate and key and checks that they make a usable TLS context (a matching pair). */
async function readTlsFiles(certFile: string, keyFile: string): Promise<TlsFiles> {
  const stamp = await tlsStamp(certFile, keyFile);
  const [cert, key] = await Promise.all([readFile(certFile), readFile(keyFile)]);
  createSecureContext({ cert, key });
  return { cert, key, stamp };
}

async function tlsStamp(certFile: string, keyFile: string): Promise<string> {
  const [certStat, keyStat] = await Promise.all([stat(certFile), stat(keyFile)]);
  return `${certStat.mtimeMs}:${certStat.size}:${keyStat.mtimeMs}:${keyStat.size}`;
}

/**
 * The SMTP front of inbound mail. Recipients are checked at RCPT (anything but a community, reply or
 * bounce address is refused there, so no message is taken for an address we would drop), and the
 * 250 answer to DATA comes only after the message is stored, so the sending server keeps it and
 * retries whenever we could not (451). With a certificate configured it offers STARTTLS (and can
 * require it before MAIL FROM), re-reading the certificate when its files change.
 */
@Injectable()
export class SmtpListener implements BeforeApplicationShutdown {
  private readonly logger = new Logger('MailIn');
  private server: SMTPServer | null = null;
  private tlsStampInUse: string | null = null;
  private tlsReload: NodeJS.Timeout | null = null;
  port = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly inbound: InboundMailService,
  ) {}

  /** Listens on the configured address; `createMailIn` calls it once the context is up. */
  async start(): Promise<void> {
    const { mailIn } = this.config;
    const tls = await this.initialTls();
    this.server = new SMTPServer({
      name: mailIn.domain ?? undefined,
      banner: 'CoP Hub inbound mail',
      size: mailIn.maxMessageBytes,
      // No AUTH: this is an MX, not a submission server. STARTTLS only with our own certificate
      // (otherwise TLS is for the MTA or provider in front).
      authOptional: true,
      disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
      ...(tls ? { key: tls.key, cert: tls.cert } : {}),
      maxClients: mailIn.maxClients,
      socketTimeout: 60_000,
      closeTimeout: DRAIN_MS,
      logger: false,
      onMailFrom: (_address, session, callback) => {
        if (mailIn.tls.required && !session.secure) {
          return callback(smtpError('5.7.0 Must issue a STARTTLS command first', 530));
        }
        callback();
      },
      onRcptTo: (address, session, callback) => {
        // RFC 5321 4.5.3.1.8: a server may limit recipients per transaction; the client sends the
        // rest in another transaction.
        if (session.envelope.rcptTo.length >= mailIn.maxRecipients) {
          return callback(smtpError('4.5.3 Too many recipients', 452));
        }
        this.inbound.acceptsRecipient(address.address).then(
          (answer) => callback(answer.ok ? null : smtpError(answer.message, 550)),
          (error: Error) => callback(smtpError(`4.3.0 Try again later (${error.message})`, 451)),
        );
      },
      onData: (stream, session, callback) => this.onData(stream, session, callback),
    });
    this.server.on('error', (error) => this.logger.warn(`SMTP connection error: ${error.message}`));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(mailIn.port, mailIn.host, () => resolve());
    });
    this.port = (this.server.server.address() as AddressInfo).port;
    if (tls) {
      this.tlsReload = setInterval(() => void this.reloadTls(), mailIn.tls.reloadIntervalMs);
      this.tlsReload.unref();
    }
    const offers = tls ? (mailIn.tls.required ? ', STARTTLS required' : ', STARTTLS offered') : '';
    this.logger.log(`inbound mail for @${mailIn.domain} on ${mailIn.host}:${this.port}${offers}`);
  }

  /** The configured certificate, or null when none is; an unreadable or mismatched pair stops start-up. */
  private async initialTls(): Promise<TlsFiles | null> {
    const { certFile, keyFile } = this.config.mailIn.tls;
    if (!certFile || !keyFile) return null;
    try {
      const files = await readTlsFiles(certFile, keyFile);
      this.tlsStampInUse = files.stamp;
      return files;
    } catch (error) {
      throw new ConfigValidationError([
        `MAIL_IN_TLS_CERT_FILE / MAIL_IN_TLS_KEY_FILE are not a usable certificate and key: ${(error as Error).message}`,
      ]);
    }
  }

  /**
   * Picks up a renewed certificate: when the files' times or sizes change, reads and checks the pair
   * and swaps it in for new connections. A half-written or broken pair is logged and the one in use
   * kept; the next pass tries again.
   */
  async reloadTls(): Promise<boolean> {
    const { certFile, keyFile } = this.config.mailIn.tls;
    const server = this.server;
    if (!server || !certFile || !keyFile) return false;
    try {
      if ((await tlsStamp(certFile, keyFile)) === this.tlsStampInUse) return false;
      const files = await readTlsFiles(certFile, keyFile);
      server.updateSecureContext({ key: files.key, cert: files.cert });
      this.tlsStampInUse = files.stamp;
      this.logger.log('TLS certificate reloaded');
      return true;
    } catch (error) {
      this.logger.warn(`TLS certificate not reloaded, keeping the one in use: ${(error as Error).message}`);
      return false;
    }
  }

  /**
   * Collects the message up to the size limit. Past it, the bytes already kept are dropped and the
   * rest is read and discarded (the protocol only allows an answer after the end of DATA), so a
   * sender cannot make the process hold more than the limit per connection.
   */
  private onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (error?: Error | null) => void) {
    const limit = this.config.mailIn.maxMessageBytes;
    let chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    stream.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks = [];
        return;
      }
      chunks.push(chunk);
    });
    stream.on('error', (error) => callback(smtpError(`4.3.0 ${error.message}`, 451)));
    stream.on('end', () => {
      if (over || stream.sizeExceeded) {
        chunks = [];
        callback(smtpError(`5.3.4 Message too big`, 552));
        return;
      }
      const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
      // Each message is processed under a trace id of its own, carried into the jobs it enqueues.
      void runWithTrace(newTraceId(), () =>
        this.inbound
          .receive(Buffer.concat(chunks, size), {
            source: 'smtp',
            mailFrom,
            rcptTo: session.envelope.rcptTo.map((r) => r.address),
            remoteAddress: session.remoteAddress,
            helo: session.hostNameAppearsAs,
          })
          .then(
            () => callback(null),
            (error: Error) => {
              if (error instanceof PermanentRefusal) return callback(smtpError(error.message, error.smtpCode));
              this.logger.warn(`message not stored, sender will retry: ${error.message}`);
              callback(smtpError('4.3.0 Temporary failure, try again later', 451));
            },
          ),
      );
    });
  }

  /** Stops taking connections and lets sessions in progress finish (up to the drain deadline). */
  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (this.tlsReload) clearInterval(this.tlsReload);
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
