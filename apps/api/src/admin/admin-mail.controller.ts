import {
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG, AppConfig, escapeHtml } from '@cophub/core';
import { AdminOnly, Public } from '@cophub/identity';
import { MailOutboxService, OutboxMessageView, OutboxQueryDto, toOutboxView } from '@cophub/mail';

/**
 * What admins need to see of mail: dead messages (failed every attempt) and, in development, the
 * messages kept locally because no SMTP server is configured.
 */
@ApiTags('admin')
@Controller('api/v1/admin/mail')
export class AdminMailController {
  constructor(private readonly outbox: MailOutboxService) {}

  @Get('outbox')
  @AdminOnly()
  async list(@Query() query: OutboxQueryDto): Promise<{ items: OutboxMessageView[]; nextCursor: string | null }> {
    const page = await this.outbox.list(
      { status: query.status, recipient: query.recipient },
      query.limit ?? 50,
      query.cursor,
    );
    return { items: page.items.map(toOutboxView), nextCursor: page.nextCursor };
  }

  @Get('outbox/:id')
  @AdminOnly()
  @ApiOkResponse({ type: OutboxMessageView })
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<OutboxMessageView & { bodyHtml: string | null }> {
    const row = await this.outbox.get(id);
    return { ...toOutboxView(row), bodyHtml: row.bodyHtml };
  }

  @Post('outbox/:id/retry')
  @AdminOnly()
  @HttpCode(HttpStatus.OK)
  async retry(@Param('id', new ParseUUIDPipe()) id: string): Promise<OutboxMessageView> {
    return toOutboxView(await this.outbox.retry(id));
  }
}

/**
 * `/dev/mail`: a plain page listing locally kept messages, so the product runs with no mail server.
 * It exists only when no SMTP server is configured and the app is not in production.
 */
@Controller('dev/mail')
export class DevMailController {
  constructor(
    private readonly outbox: MailOutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private assertEnabled(): void {
    if (this.config.mail.smtpUrl || this.config.nodeEnv === 'production') throw new NotFoundException();
  }

  @Get()
  @Public()
  async index(@Res() response: FastifyReply): Promise<void> {
    this.assertEnabled();
    const page = await this.outbox.list({}, 100);
    const rows = page.items
      .map(
        (m) =>
          `<tr><td>${escapeHtml(m.createdAt.toISOString())}</td><td>${escapeHtml(m.recipient)}</td>` +
          `<td><a href="/dev/mail/${m.id}">${escapeHtml(m.subject ?? m.template)}</a></td><td>${escapeHtml(m.status)}</td></tr>`,
      )
      .join('');
    response
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Local mail outbox</title></head>` +
          `<body style="font-family:Arial,sans-serif"><h1>Local mail outbox</h1>` +
          `<p>No SMTP server is configured, so mail is kept here. Newest first.</p>` +
          `<table border="1" cellpadding="6"><thead><tr><th>Created</th><th>To</th><th>Subject</th><th>Status</th></tr></thead>` +
          `<tbody>${rows}</tbody></table></body></html>`,
      );
  }

  @Get(':id')
  @Public()
  async message(@Param('id', new ParseUUIDPipe()) id: string, @Res() response: FastifyReply): Promise<void> {
    this.assertEnabled();
    const message = await this.outbox.get(id);
    response
      .type('text/html; charset=utf-8')
      .send(message.bodyHtml ?? `<pre>${escapeHtml(message.status)}: not rendered yet</pre>`);
  }
}
