import { Controller, Headers, HttpCode, HttpStatus, Inject, Post, Query, Req } from '@nestjs/common';
import { ApiConsumes, ApiHeader, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import busboy from 'busboy';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { APP_CONFIG, AppConfig, CommonError, CommonErrorCode } from '@cophub/core';
import { Public } from '@cophub/identity';
import { InboundMailService, MailInError, MailInErrorCode, PermanentRefusal } from '@cophub/mail-in';

export class InboundResultDto {
  @ApiPropertyOptional({ nullable: true }) id: string | null;
  @ApiProperty({ description: 'true when this Message-ID was already received (nothing new was made)' })
  duplicate: boolean;
  @ApiProperty() kind: string;
  @ApiProperty() outcome: string;
}

interface Delivery {
  raw: Buffer;
  from: string;
  to: string[];
  ip?: string;
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The Node request under either platform adapter. */
const nodeRequest = (request: unknown): IncomingMessage =>
  ((request as { raw?: IncomingMessage }).raw ?? request) as IncomingMessage;

function readBody(request: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        request.removeAllListeners('data');
        request.resume();
        reject(new MailInError(MailInErrorCode.MessageTooLarge, `The message is larger than ${max} bytes`));
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * Multipart forms of the common inbound webhooks: SendGrid Inbound Parse with "send raw" (`email`
 * and an `envelope` JSON), Mailgun's MIME forwarding (`body-mime`, `sender`, `recipient`).
 */
function readMultipart(request: IncomingMessage, max: number): Promise<Delivery> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: request.headers, limits: { fieldSize: max, fields: 50, files: 0 } });
    } catch {
      return reject(new CommonError(CommonErrorCode.BadRequest, 'The multipart body is malformed'));
    }
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) {
        return reject(new MailInError(MailInErrorCode.MessageTooLarge, `The message is larger than ${max} bytes`));
      }
      fields[name] = value;
    });
    parser.on('error', () => reject(new CommonError(CommonErrorCode.BadRequest, 'The multipart body is malformed')));
    parser.on('close', () => {
      const raw = fields.email ?? fields['body-mime'];
      if (!raw) {
        return reject(
          new CommonError(CommonErrorCode.BadRequest, 'Send the raw message as a field named "email" or "body-mime"'),
        );
      }
      let envelope: { from?: string; to?: string[] } = {};
      try {
        envelope = fields.envelope ? (JSON.parse(fields.envelope) as typeof envelope) : {};
      } catch {
        return reject(new CommonError(CommonErrorCode.BadRequest, 'The envelope field is not JSON'));
      }
      resolve({
        raw: Buffer.from(raw, 'utf8'),
        from: envelope.from ?? fields.sender ?? '',
        to: Array.isArray(envelope.to) ? envelope.to.map(String) : list(fields.recipient),
        ip: fields.sender_ip,
      });
    });
    request.pipe(parser);
  });
}

/**
 * The provider inbound webhook: the same processing as the SMTP app, for deployments where a mail
 * provider receives the mail. Authenticated by a shared secret (`MAIL_IN_WEBHOOK_SECRET`) sent as a
 * bearer token or as the password of HTTP basic auth (what most providers can put in the URL).
 */
@ApiTags('mail-in')
@Controller('api/v1/mail-in')
export class InboundWebhookController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly inbound: InboundMailService,
  ) {}

  private authorise(authorization: string | undefined): void {
    const secret = this.config.mailIn.webhookSecret;
    if (!secret || !this.config.mailIn.domain) {
      throw new MailInError(MailInErrorCode.NotConfigured, 'Inbound mail by webhook is not enabled here');
    }
    const [scheme, value] = (authorization ?? '').split(' ');
    let given = '';
    if (/^bearer$/i.test(scheme)) given = value ?? '';
    else if (/^basic$/i.test(scheme)) {
      const decoded = Buffer.from(value ?? '', 'base64').toString('utf8');
      given = decoded.slice(decoded.indexOf(':') + 1);
    }
    const digest = (s: string) => createHash('sha256').update(s).digest();
    if (!given || !timingSafeEqual(digest(given), digest(secret))) {
      throw new CommonError(CommonErrorCode.Unauthenticated, 'The webhook secret is missing or wrong');
    }
  }

  @Post('messages')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiConsumes('message/rfc822', 'multipart/form-data')
  @ApiHeader({ name: 'X-Envelope-From', required: false, description: 'MAIL FROM (or ?from=)' })
  @ApiHeader({ name: 'X-Envelope-To', required: false, description: 'Recipients, comma-separated (or ?to=)' })
  @ApiOkResponse({ type: InboundResultDto })
  async receive(
    @Req() request: unknown,
    @Headers('authorization') authorization: string | undefined,
    @Headers('content-type') contentType: string | undefined,
    @Headers('x-envelope-from') headerFrom: string | undefined,
    @Headers('x-envelope-to') headerTo: string | undefined,
    @Headers('x-remote-ip') headerIp: string | undefined,
    @Query('from') queryFrom: string | undefined,
    @Query('to') queryTo: string | undefined,
  ): Promise<InboundResultDto> {
    this.authorise(authorization);
    const node = nodeRequest(request);
    const max = this.config.mailIn.maxMessageBytes;
    let delivery: Delivery;
    if (/^multipart\/form-data/i.test(contentType ?? '')) {
      delivery = await readMultipart(node, max);
    } else if (/^(message\/rfc822|application\/octet-stream)\b/i.test(contentType ?? '')) {
      delivery = {
        raw: await readBody(node, max),
        from: headerFrom ?? queryFrom ?? '',
        to: list(headerTo ?? queryTo),
        ip: headerIp,
      };
    } else {
      throw new CommonError(
        CommonErrorCode.BadRequest,
        'Send the raw message as message/rfc822 (or a multipart form with an "email" field)',
      );
    }
    if (!delivery.raw.length) throw new CommonError(CommonErrorCode.BadRequest, 'The message is empty');
    if (!delivery.to.length) {
      throw new CommonError(CommonErrorCode.BadRequest, 'Say who the message is for (X-Envelope-To or ?to=)');
    }
    if (delivery.to.length > this.config.mailIn.maxRecipients) {
      throw new CommonError(
        CommonErrorCode.BadRequest,
        `Too many recipients: at most ${this.config.mailIn.maxRecipients} per message (MAIL_IN_MAX_RECIPIENTS)`,
      );
    }
    // The same RCPT check as the SMTP app: only this deployment's community, reply and bounce addresses.
    const recipients: string[] = [];
    for (const to of delivery.to.map((r) => r.replace(/^<|>$/g, ''))) {
      if ((await this.inbound.acceptsRecipient(to)).ok) recipients.push(to);
    }
    if (!recipients.length) {
      throw new CommonError(CommonErrorCode.BadRequest, 'None of the recipients is an address that takes mail here');
    }
    try {
      const result = await this.inbound.receive(delivery.raw, {
        source: 'webhook',
        mailFrom: delivery.from.replace(/^<|>$/g, ''),
        rcptTo: recipients,
        remoteAddress: delivery.ip,
      });
      return { id: result.id, duplicate: result.duplicate, kind: result.kind, outcome: result.outcome };
    } catch (error) {
      if (error instanceof PermanentRefusal) {
        throw error.smtpCode === 552
          ? new MailInError(MailInErrorCode.MessageTooLarge, error.message)
          : new CommonError(CommonErrorCode.BadRequest, error.message);
      }
      throw error;
    }
  }
}
