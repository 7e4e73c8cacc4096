import { Controller, Get, Header, HttpCode, HttpStatus, Inject, Post, Query, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@cophub/core';
import { Public } from '@cophub/identity';
import { notificationSettingsUrl } from '@cophub/mail';
import {
  decodePrevious,
  encodePrevious,
  NotificationChannel,
  NotificationKind,
  NotificationService,
  PreviousChannels,
  undoSignature,
  UnsubscribeScope,
  verifyUndo,
  verifyUnsubscribe,
} from '@cophub/notifications';
import { unsubscribePage } from './unsubscribe.page';

/** What each link turns off, in the words the notification settings page uses. */
const SCOPE_TEXT: Record<UnsubscribeScope, string> = {
  digest: 'the daily digest email',
  [NotificationKind.ForumReply]: 'emails about replies to threads you follow',
  [NotificationKind.ForumMention]: 'emails when someone mentions you',
  [NotificationKind.ForumQuote]: 'emails when someone quotes you',
  [NotificationKind.EventUpdate]: 'emails about changes to events you are going to',
  [NotificationKind.EventReminder]: 'event reminder emails',
  [NotificationKind.EventWaitlist]: 'emails when a place comes up from a waiting list',
  [NotificationKind.EventRsvp]: 'confirmation emails when you reply to an event',
  [NotificationKind.PollInvitation]: 'emails about new polls',
  [NotificationKind.PollReminder]: 'reminders to answer polls',
  [NotificationKind.PollResults]: 'emails when poll results are published',
  [NotificationKind.Membership]: 'emails about membership requests',
  [NotificationKind.ModerationFlag]: 'emails when a post is reported to moderators',
  [NotificationKind.Announcement]: "announcements from your community's co-chairs",
  [NotificationKind.Account]: 'emails about changes made to your account for you',
};

/** The part of a reply a page needs: its status. Both HTTP platforms' reply objects have `status()`. */
interface ReplyStatus {
  status(code: number): unknown;
}

/**
 * RFC 8058 one-click unsubscribe. Mail clients POST `List-Unsubscribe=One-Click` to the URL in the
 * `List-Unsubscribe` header; a person following the link gets a page with a button (a GET never
 * changes anything, so link scanners cannot unsubscribe anyone). The confirmation offers an undo that
 * puts back exactly the channels that were changed (signed, like the link itself).
 */
@ApiTags('notifications')
@Controller('api/v1/unsubscribe')
export class UnsubscribeController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly notifications: NotificationService,
  ) {}

  private get settingsUrl(): string {
    return notificationSettingsUrl(this.config.publicUrl);
  }

  /** The link's scope if its signature holds; otherwise the reply becomes the "not valid" page. */
  private check(u: unknown, k: unknown, s: unknown, reply: ReplyStatus): UnsubscribeScope | null {
    if (
      typeof u === 'string' &&
      typeof k === 'string' &&
      typeof s === 'string' &&
      verifyUnsubscribe(this.config.auth.jwtSecret, u, k, s)
    ) {
      return k as UnsubscribeScope;
    }
    reply.status(HttpStatus.BAD_REQUEST);
    return null;
  }

  private invalid(): string {
    return unsubscribePage({
      title: 'This unsubscribe link is not valid',
      paragraphs: [
        'The link may have been copied only in part. Try the link in the email again, or sign in and choose which emails you get in your notification settings.',
      ],
      settingsUrl: this.settingsUrl,
    });
  }

  @Public()
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/html')
  confirm(
    @Query('u') u: string,
    @Query('k') k: string,
    @Query('s') s: string,
    @Res({ passthrough: true }) reply: ReplyStatus,
  ): string {
    const scope = this.check(u, k, s, reply);
    if (!scope) return this.invalid();
    return unsubscribePage({
      title: 'Unsubscribe',
      paragraphs: [`Stop receiving ${SCOPE_TEXT[scope]}?`],
      form: { action: `?${new URLSearchParams({ u, k, s }).toString()}`, label: 'Unsubscribe', oneClick: true },
      settingsUrl: this.settingsUrl,
      settingsText: 'Or choose exactly which emails you get in your notification settings.',
    });
  }

  @Public()
  @Post()
  @HttpCode(HttpStatus.OK)
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/html')
  async unsubscribe(
    @Query('u') u: string,
    @Query('k') k: string,
    @Query('s') s: string,
    @Res({ passthrough: true }) reply: ReplyStatus,
  ): Promise<string> {
    const scope = this.check(u, k, s, reply);
    if (!scope) return this.invalid();
    const current = await this.notifications.preferences(u);
    let previous: PreviousChannels;
    if (scope === 'digest') {
      // Everything that was going to the digest stays in the app instead.
      previous = (Object.entries(current) as PreviousChannels).filter(
        ([, channel]) => channel === NotificationChannel.Digest,
      );
      await this.notifications.setPreferences(
        u,
        Object.fromEntries(previous.map(([kind]) => [kind, NotificationChannel.InApp])),
      );
    } else {
      previous = [[scope, current[scope]]];
      await this.notifications.setPreferences(u, { [scope]: NotificationChannel.Off });
    }
    const p = encodePrevious(previous);
    const undo = new URLSearchParams({ u, k: scope, p, s: undoSignature(this.config.auth.jwtSecret, u, scope, p) });
    return unsubscribePage({
      title: 'You are unsubscribed',
      paragraphs: [`You will no longer receive ${SCOPE_TEXT[scope]}.`, 'Changed your mind?'],
      form: { action: `undo?${undo.toString()}`, label: 'Undo', secondary: true },
      settingsUrl: this.settingsUrl,
      settingsText: 'You can change this at any time in your notification settings.',
    });
  }

  @Public()
  @Post('undo')
  @HttpCode(HttpStatus.OK)
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/html')
  async undo(
    @Query('u') u: string,
    @Query('k') k: string,
    @Query('p') p: string,
    @Query('s') s: string,
    @Res({ passthrough: true }) reply: ReplyStatus,
  ): Promise<string> {
    const previous = typeof p === 'string' ? decodePrevious(p) : null;
    if (
      !previous ||
      typeof u !== 'string' ||
      typeof k !== 'string' ||
      typeof s !== 'string' ||
      !verifyUndo(this.config.auth.jwtSecret, u, k, p, s)
    ) {
      reply.status(HttpStatus.BAD_REQUEST);
      return this.invalid();
    }
    await this.notifications.setPreferences(u, Object.fromEntries(previous));
    return unsubscribePage({
      title: 'You are subscribed again',
      paragraphs: [`You will receive ${SCOPE_TEXT[k as UnsubscribeScope]} as before.`],
      settingsUrl: this.settingsUrl,
      settingsText: 'You can choose which emails you get in your notification settings.',
    });
  }
}
