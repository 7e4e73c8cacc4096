import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CategoryPostPolicy, FlagStatus, ReactionKind, SubscriptionLevel } from '../db/enums';

/**
 * Response shapes of the forum API. Services build them straight from SQL rows, so the hot read
 * paths do not hydrate entities only to map them again.
 */
export class AuthorView {
  @ApiProperty({ type: String, nullable: true, description: 'Null when the account was deleted' }) id: string | null;
  @ApiProperty() displayName: string;
}

export class CategoryView {
  @ApiProperty() id: string;
  @ApiProperty() communityId: string;
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty() position: number;
  @ApiProperty({ enum: CategoryPostPolicy }) postPolicy: CategoryPostPolicy;
  @ApiProperty() threadCount: number;
  @ApiProperty({ description: 'Threads with posts the caller has not read' }) unreadThreadCount: number;
}

export class ThreadView {
  @ApiProperty() id: string;
  @ApiProperty() communityId: string;
  @ApiProperty() categoryId: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: AuthorView }) author: AuthorView;
  @ApiProperty() pinned: boolean;
  @ApiProperty() locked: boolean;
  @ApiProperty({ description: 'Highest post number (including deleted and hidden posts)' }) postCount: number;
  @ApiProperty() lastPostAt: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() lastReadPostNumber: number;
  @ApiProperty() unreadCount: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Where to jump to: the first post after the last one read',
  })
  firstUnreadPostNumber: number | null;
  @ApiProperty({ enum: SubscriptionLevel, nullable: true }) subscription: SubscriptionLevel | null;
  @ApiPropertyOptional() deleted?: boolean;
}

export class ThreadPageView {
  @ApiProperty({ type: [ThreadView] }) items: ThreadView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class PostView {
  @ApiProperty() id: string;
  @ApiProperty() threadId: string;
  @ApiProperty() postNumber: number;
  @ApiProperty({ type: AuthorView }) author: AuthorView;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Sanitised HTML; null when hidden or deleted (except for moderators)',
  })
  html: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Markdown source, for those who may edit it' }) source:
    string | null;
  @ApiProperty({ type: String, nullable: true }) quotedPostId: string | null;
  @ApiProperty() version: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: 'Counts per reaction kind',
    example: { like: 2 },
  })
  reactions: Record<string, number>;
  @ApiProperty({ enum: ReactionKind, isArray: true }) myReactions: ReactionKind[];
  @ApiProperty() bookmarked: boolean;
  @ApiProperty() hidden: boolean;
  @ApiProperty({ type: String, nullable: true }) hiddenReason: string | null;
  @ApiProperty() deleted: boolean;
  @ApiProperty({ type: String, nullable: true }) editedAt: string | null;
  @ApiProperty() createdAt: string;
}

export class PostPageView {
  @ApiProperty({ type: [PostView] }) items: PostView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class RevisionView {
  @ApiProperty() version: number;
  @ApiProperty() html: string;
  @ApiProperty() source: string;
  @ApiProperty({ type: String, nullable: true }) editedBy: string | null;
  @ApiProperty() replacedAt: string;
}

export class ReactionsView {
  @ApiProperty() postId: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) reactions: Record<string, number>;
  @ApiProperty({ enum: ReactionKind, isArray: true }) myReactions: ReactionKind[];
}

export class FlagView {
  @ApiProperty() id: string;
  @ApiProperty() postId: string;
  @ApiProperty() threadId: string;
  @ApiProperty() threadTitle: string;
  @ApiProperty() postNumber: number;
  @ApiProperty({ description: 'The start of the post as plain text' }) excerpt: string;
  @ApiProperty({ description: 'The post in its thread, a path in the web app (e.g. /c/north-west-cop/t/<id>/4)' })
  url: string;
  @ApiProperty() reason: string;
  @ApiProperty({ enum: FlagStatus }) status: FlagStatus;
  @ApiProperty({ type: AuthorView }) reporter: AuthorView;
  @ApiProperty({ description: 'The flagged post as moderators see it' }) postHtml: string;
  @ApiProperty() postHidden: boolean;
  @ApiProperty() createdAt: string;
}

export class FlagPageView {
  @ApiProperty({ type: [FlagView] }) items: FlagView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class BookmarkView {
  @ApiProperty() postId: string;
  @ApiProperty() threadId: string;
  @ApiProperty() threadTitle: string;
  @ApiProperty() postNumber: number;
  @ApiProperty() excerpt: string;
  @ApiProperty() bookmarkedAt: string;
}

export class BookmarkPageView {
  @ApiProperty({ type: [BookmarkView] }) items: BookmarkView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
