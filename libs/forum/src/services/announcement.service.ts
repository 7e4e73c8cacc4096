import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '@cophub/audit';
import { APP_CONFIG, AppConfig, Sql, SqlPort } from '@cophub/core';
import { CareerStage, CommunityContext, Profession, Region } from '@cophub/identity';
import { NotificationKind, NotificationService, NotifyResult } from '@cophub/notifications';
import { AudienceRepository } from '../db/audience.repository';
import { CategoryRepository } from '../db/category.repository';
import { ThreadView } from '../contract/forum.views';
import { excerptOf } from './forum-notifier';
import { renderPostBody } from '../domain/post-body';
import { checkedTitle, ThreadService } from './thread.service';

/** The category announcements are posted in, created on first use. */
export const ANNOUNCEMENTS_CATEGORY = 'Announcements';

/** Who an announcement is for: each list narrows (empty or absent means everyone); lists combine with AND. */
export interface AnnouncementAudience {
  professions?: Profession[];
  careerStages?: CareerStage[];
  regions?: Region[];
}

export interface AnnouncementInput {
  title: string;
  body: string;
  audience?: AnnouncementAudience;
}

export interface AnnouncementResult {
  thread: ThreadView;
  /** Members in the audience (the sender excluded), each notified per their channel for announcements. */
  audienceSize: number;
}

/** Plain text longer than this is cut in the email; the whole announcement is one click away. */
const EMAIL_TEXT_LENGTH = 4000;

/**
 * A co-chair's announcement: a thread in the community's "Announcements" category (co-chairs only,
 * no replies from members), and a notification to every approved member in the audience — a bell
 * entry, and an email for those whose channel for announcements is email (the default) — all written
 * in the thread's transaction and sent after it commits.
 */
@Injectable()
export class AnnouncementService {
  constructor(
    private readonly sql: SqlPort,
    private readonly audiences: AudienceRepository,
    private readonly categories: CategoryRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly threads: ThreadService,
    private readonly notifications: NotificationService,
    private readonly audit: AuditService,
  ) {}

  async announce(context: CommunityContext, input: AnnouncementInput): Promise<AnnouncementResult> {
    const title = checkedTitle(input.title);
    const body = renderPostBody(input.body);
    const audience = {
      professions: input.audience?.professions ?? [],
      careerStages: input.audience?.careerStages ?? [],
      regions: input.audience?.regions ?? [],
    };
    let notified: NotifyResult = { mailIds: [], created: [] };
    const { inserted, audienceSize } = await this.sql.transaction(async (tx, manager) => {
      const categoryId = await this.categoryId(tx, context.community.id);
      const inserted = await this.threads.insert(manager, context, categoryId, title, body);
      const recipients = await this.audiences.announcement(manager, context.community.id, context.userId, audience);
      const path = `/c/${context.community.slug}/t/${inserted.threadId}`;
      const text = excerptOf(body.text, EMAIL_TEXT_LENGTH);
      notified = await this.notifications.notify(
        manager,
        recipients.map((user) => ({
          userId: user.id,
          kind: NotificationKind.Announcement,
          communityId: context.community.id,
          title: `Announcement: ${title}`,
          body: excerptOf(body.text, 200),
          url: path,
          data: { threadId: inserted.threadId },
          email: {
            to: user.email,
            template: 'forum.announcement' as const,
            params: {
              displayName: user.display_name,
              communityName: context.community.name,
              senderName: inserted.authorName ?? 'A co-chair',
              title,
              text,
              url: `${this.config.publicUrl}${path}`,
            },
            dedupeKey: `announcement:${inserted.threadId}:${user.id}`,
          },
        })),
      );
      await this.audit.record(manager, {
        communityId: context.community.id,
        actorId: context.userId,
        action: 'forum.announcement.create',
        targetType: 'forum_thread',
        targetId: inserted.threadId,
        data: { title, audience, recipients: recipients.length },
      });
      return { inserted, audienceSize: recipients.length };
    });
    const thread = this.threads.published(context, inserted);
    await this.notifications.dispatch(notified);
    return { thread, audienceSize };
  }

  /**
   * The community's "Announcements" category; on first use it is created, last in order, open to
   * co-chairs only. Concurrent first announcements meet on the (community, name) unique key.
   */
  /** The community's Announcements category, created on first use. */
  private categoryId(tx: Sql, communityId: string): Promise<string> {
    return this.categories.ensureAnnouncements(tx, communityId, ANNOUNCEMENTS_CATEGORY);
  }
}
