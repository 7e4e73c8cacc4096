import { Controller, Get, Header, HttpCode, HttpStatus, Inject, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig, escapeHtml } from '@cophub/core';
import { Public } from '@cophub/identity';
import { ReplyConfirmationService } from '@cophub/mail-in';
import { htmlPage } from './html-page';

/**
 * The "post this reply" link of an emailed reply that did not prove its sender. Opening the link
 * only shows the reply and a button (mail scanners open every link in a message and must not post
 * anything); the button's POST posts it once. A bad link is 400, a used one 409, an expired one 410,
 * and none of them posts anything.
 */
@ApiTags('mail-in')
@Controller('api/v1/mail-in/confirm-reply')
export class ReplyConfirmationController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly confirmations: ReplyConfirmationService,
  ) {}

  @Get()
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiProduces('text/html')
  @ApiQuery({ name: 'token', required: true })
  @ApiOkResponse({ description: 'A page showing the reply with a "Post this reply" button' })
  async page(@Query('token') token: string | undefined): Promise<string> {
    const pending = await this.confirmations.preview(token);
    return htmlPage(
      'Post your reply?',
      `<p>This reply was sent by email from your address:</p><blockquote>${escapeHtml(pending.body)}</blockquote>` +
        `<form method="post" action="?token=${encodeURIComponent(token ?? '')}"><button type="submit">Post this reply</button></form>` +
        `<p>If you did not write it, close this page: nothing will be posted.</p>`,
    );
  }

  @Post()
  @Public()
  @HttpCode(HttpStatus.OK)
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiProduces('text/html')
  @ApiQuery({ name: 'token', required: true })
  @ApiOkResponse({ description: 'The reply was posted' })
  async confirm(@Query('token') token: string | undefined): Promise<string> {
    const posted = await this.confirmations.confirm(token);
    const url = `${this.config.publicUrl}/c/${posted.communitySlug}/t/${posted.threadId}`;
    return htmlPage(
      'Reply posted',
      `<p>Your reply was posted. <a href="${escapeHtml(url)}">Open the discussion</a>.</p>`,
    );
  }
}
