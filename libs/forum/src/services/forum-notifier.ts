import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@cophub/core';
import {
  EMPTY_NOTIFY_RESULT,
  NotificationInput,
  NotificationKind,
  NotificationService,
  NotifyResult,
} from '@cophub/notifications';
import { EntityManager } from 'typeorm';
import { AudienceRepository, RecipientRow as Recipient } from '../db/audience.repository';
import { ReplyAddressService } from './reply-address';

export interface PostNotice {
  communityId: string;
  communitySlug: string;
  threadId: string;
  threadTitle: string;
  postId: string;
  postNumber: number;
  bodyText: string;
  authorId: string;
  quotedPostId: string | null;
}

const PRIORITY: NotificationKind[] = [
  NotificationKind.ForumMention,
  NotificationKind.ForumQuote,
  NotificationKind.ForumReply,
];

/**
 * Works out who hears about a new post (mentioned, quoted, watching) and writes their notifications
 * inside the post's transaction. Each person gets one notification, of the most specific kind.
 * Only approved members of the community are ever notified.
 */
@Injectable()
export class ForumNotifier {
  constructor(
    private readonly notifications: NotificationService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly replyAddresses: ReplyAddressService,
    private readonly audience: AudienceRepository,
  ) {}

  async forNewPost(manager: EntityManager, notice: PostNotice): Promise<NotifyResult> {
    const chosen = new Map<string, { kind: NotificationKind; user: Recipient }>();
    const consider = (users: Recipient[], kind: NotificationKind) => {
      for (const user of users) {
        if (user.id === notice.authorId) continue;
        const existing = chosen.get(user.id);
        if (!existing || PRIORITY.indexOf(kind) < PRIORITY.indexOf(existing.kind)) chosen.set(user.id, { kind, user });
      }
    };
    // Mentions were resolved by handle when the post was written (`forum_post_mentions`), so a handle
    // changed since then still reaches the person meant.
    consider(await this.audience.mentioned(manager, notice.communityId, notice.postId), NotificationKind.ForumMention);
    if (notice.quotedPostId) {
      consider(
        await this.audience.quoted(manager, notice.communityId, notice.quotedPostId),
        NotificationKind.ForumQuote,
      );
    }
    consider(await this.audience.watching(manager, notice.communityId, notice.threadId), NotificationKind.ForumReply);
    return this.notifyChosen(manager, notice, chosen, (userId) => `forum:${notice.postId}:${userId}`);
  }

  /**
   * Members an edit newly mentions (not mentioned by the post before it) hear about it as a mention,
   * once per post: removing and restoring a mention in later edits does not notify them again.
   */
  async forEditMentions(manager: EntityManager, notice: PostNotice, userIds: string[]): Promise<NotifyResult> {
    const chosen = new Map<string, { kind: NotificationKind; user: Recipient }>();
    const members = await this.audience.membersAmong(manager, notice.communityId, notice.authorId, userIds);
    // Never yet told of a mention in this post (a notification of the kind about it).
    const told = await this.notifications.notifiedAboutPost(
      manager,
      NotificationKind.ForumMention,
      notice.postId,
      members.map((m) => m.id),
    );
    for (const user of members)
      if (!told.has(user.id)) chosen.set(user.id, { kind: NotificationKind.ForumMention, user });
    return this.notifyChosen(manager, notice, chosen, (userId) => `forum:${notice.postId}:mention:${userId}`);
  }

  private async notifyChosen(
    manager: EntityManager,
    notice: PostNotice,
    chosen: Map<string, { kind: NotificationKind; user: Recipient }>,
    dedupeKey: (userId: string) => string,
  ): Promise<NotifyResult> {
    if (!chosen.size) return EMPTY_NOTIFY_RESULT;

    const authorName = (await this.audience.displayName(manager, notice.authorId)) ?? 'Someone';
    const path = `/c/${notice.communitySlug}/t/${notice.threadId}/${notice.postNumber}`;
    const excerpt = excerptOf(notice.bodyText);
    // Each recipient's own Reply-To, so answering the email posts to the thread as them.
    const replyTo = await this.replyAddresses.issue(manager, [...chosen.keys()], {
      id: notice.threadId,
      communityId: notice.communityId,
    });
    const inputs: NotificationInput[] = [...chosen.values()].map(({ kind, user }) => {
      const headline =
        kind === NotificationKind.ForumMention
          ? `${authorName} mentioned you`
          : kind === NotificationKind.ForumQuote
            ? `${authorName} quoted your post`
            : `${authorName} replied`;
      return {
        userId: user.id,
        kind,
        communityId: notice.communityId,
        title: `${headline} in "${notice.threadTitle}"`,
        body: excerpt,
        url: path,
        data: { threadId: notice.threadId, postId: notice.postId, postNumber: notice.postNumber },
        email: {
          to: user.email,
          template: 'forum.notification',
          params: {
            displayName: user.display_name,
            headline,
            threadTitle: notice.threadTitle,
            excerpt,
            url: `${this.config.publicUrl}${path}`,
            ...(replyTo.has(user.id) ? { replyTo: replyTo.get(user.id) } : {}),
          },
          dedupeKey: dedupeKey(user.id),
        },
      };
    });
    return this.notifications.notify(manager, inputs);
  }

  /**
   * A reported post reaches every moderator and co-chair of the community (not the reporter): a bell
   * notification, and an email for those whose channel for reports is email. Written in the flag's
   * transaction.
   */
  async forFlag(manager: EntityManager, notice: FlagNotice): Promise<NotifyResult> {
    const moderators = await this.audience.moderators(manager, notice.communityId, notice.reporterId);
    const queuePath = `/c/${notice.communitySlug}/moderation`;
    const postPath = `/c/${notice.communitySlug}/t/${notice.threadId}/${notice.postNumber}`;
    const excerpt = excerptOf(notice.postText, 200);
    return this.notifications.notify(
      manager,
      moderators.map((user) => ({
        userId: user.id,
        kind: NotificationKind.ModerationFlag,
        communityId: notice.communityId,
        title: `A post was reported in "${notice.threadTitle}"`,
        body: `Reason: ${notice.reason}`,
        url: queuePath,
        data: { flagId: notice.flagId, threadId: notice.threadId, postNumber: notice.postNumber },
        email: {
          to: user.email,
          template: 'forum.flagged' as const,
          params: {
            displayName: user.display_name,
            communityName: notice.communityName,
            threadTitle: notice.threadTitle,
            excerpt,
            reason: notice.reason,
            postUrl: `${this.config.publicUrl}${postPath}`,
            queueUrl: `${this.config.publicUrl}${queuePath}`,
          },
          dedupeKey: `forum-flag:${notice.flagId}:${user.id}`,
        },
      })),
    );
  }
}

export interface FlagNotice {
  flagId: string;
  communityId: string;
  communitySlug: string;
  communityName: string;
  threadId: string;
  threadTitle: string;
  postNumber: number;
  postText: string;
  reason: string;
  reporterId: string;
}

/** A post's text cut to a readable excerpt for notifications, emails and the moderation queue. */
export function excerptOf(text: string, length = 280): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length - 3)}...` : flat;
}
