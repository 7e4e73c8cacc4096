import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { SMTPServer, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { APP_CONFIG, AppConfig } from '@cophub/core';
import { InboundMailService, PermanentRefusal } from '@cophub/mail-in';

/** How long a stop waits for sessions in progress before closing them. */
const DRAIN_MS = 10_000;

const smtpError = (message: string, responseCode: number) => Object.assign(new Error(message), { responseCode });

/**
 * The SMTP front of inbound mail. Recipients are checked at RCPT (anything but a community, reply or
 * bounce address is refused there, so no message is taken for an address we would drop), and the
 * 250 answer to DATA comes only after the message is stored, so the sending server keeps it and
 * retries whenever we could not (451).
 */
@Injectable()
export class SmtpListener implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('MailIn');
  private server: SMTPServer | null = null;
  port = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly inbound: InboundMailService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { mailIn } = this.config;
    this.server = new SMTPServer({
      name: mailIn.domain ?? undefined,
      banner: 'CoP Hub inbound mail',
      size: mailIn.maxMessageBytes,
      // No AUTH: this is an MX, not a submission server. TLS is for the MTA or provider in front.
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      maxClients: mailIn.maxClients,
      socketTimeout: 60_000,
      closeTimeout: DRAIN_MS,
      logger: false,
      onRcptTo: (address, _session, callback) => {
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
    this.logger.log(`inbound mail for @${mailIn.domain} on ${mailIn.host}:${this.port}`);
  }

  private onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (error?: Error | null) => void) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', (error) => callback(smtpError(`4.3.0 ${error.message}`, 451)));
    stream.on('end', () => {
      if (stream.sizeExceeded) {
        callback(smtpError(`5.3.4 Message too big`, 552));
        return;
      }
      const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
      this.inbound
        .receive(Buffer.concat(chunks), {
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
        );
    });
  }

  /** Stops taking connections and lets sessions in progress finish (up to the drain deadline). */
  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
