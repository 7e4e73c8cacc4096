import { Controller, Get, HttpCode, HttpStatus, Inject, Post, Query, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG, AppConfig, CommonError, CommonErrorCode } from '@cophub/core';
import { Public } from '@cophub/identity';
import {
  NotificationChannel,
  NotificationKind,
  NotificationService,
  UnsubscribeScope,
  verifyUnsubscribe,
} from '@cophub/notifications';

const PAGE = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
  `<title>${title} - CoP Hub</title><style>body{font-family:Arial,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#212b32}` +
  `button{background:#007f3b;color:#fff;border:0;padding:.6rem 1rem;font-size:1rem;cursor:pointer}button:focus{outline:3px solid #ffeb3b}</style></head>` +
  `<body><h1>${title}</h1>${body}</body></html>`;

const SCOPE_TEXT: Record<string, string> = {
  digest: 'the daily digest email',
  [NotificationKind.EventReminder]: 'event reminder emails',
};

/**
 * RFC 8058 one-click unsubscribe. Mail clients POST `List-Unsubscribe=One-Click` to the URL in the
 * `List-Unsubscribe` header; a person following the link gets a page with a button (a GET never
 * changes anything, so link scanners cannot unsubscribe anyone).
 */
@ApiTags('notifications')
@Controller('api/v1/unsubscribe')
export class UnsubscribeController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly notifications: NotificationService,
  ) {}

  private check(u: string, k: string, s: string): UnsubscribeScope {
    if (
      typeof u !== 'string' ||
      typeof k !== 'string' ||
      typeof s !== 'string' ||
      !verifyUnsubscribe(this.config.auth.jwtSecret, u, k, s)
    ) {
      throw new CommonError(CommonErrorCode.BadRequest, 'This unsubscribe link is not valid');
    }
    return k as UnsubscribeScope;
  }

  @Public()
  @Get()
  @ApiProduces('text/html')
  confirm(@Query('u') u: string, @Query('k') k: string, @Query('s') s: string, @Res() response: FastifyReply): void {
    const scope = this.check(u, k, s);
    const what = SCOPE_TEXT[scope] ?? `emails about ${scope.replace(/_/g, ' ')}`;
    const action = `?${new URLSearchParams({ u, k, s }).toString()}`;
    response
      .status(200)
      .type('text/html; charset=utf-8')
      .send(
        PAGE(
          'Unsubscribe',
          `<p>Stop receiving ${what}?</p><form method="post" action="${action.replace(/&/g, '&amp;')}">` +
            `<input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
        ),
      );
  }

  @Public()
  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiProduces('text/html')
  async unsubscribe(
    @Query('u') u: string,
    @Query('k') k: string,
    @Query('s') s: string,
    @Res() response: FastifyReply,
  ): Promise<void> {
    const scope = this.check(u, k, s);
    if (scope === 'digest') {
      // Everything that was going to the digest stays in the app instead.
      const current = await this.notifications.preferences(u);
      const changes = Object.fromEntries(
        Object.entries(current)
          .filter(([, channel]) => channel === NotificationChannel.Digest)
          .map(([kind]) => [kind, NotificationChannel.InApp]),
      );
      await this.notifications.setPreferences(u, changes);
    } else {
      await this.notifications.setPreferences(u, { [scope]: NotificationChannel.Off });
    }
    const what = SCOPE_TEXT[scope] ?? `emails about ${scope.replace(/_/g, ' ')}`;
    response
      .status(200)
      .type('text/html; charset=utf-8')
      .send(PAGE('You are unsubscribed', `<p>You will no longer receive ${what}.</p>`));
  }
}
