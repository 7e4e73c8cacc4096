export * from './enums';
export * from './category.entity';
export * from './thread.entity';
export * from './post.entity';
export * from './post-revision.entity';
export * from './reaction.entity';
export * from './bookmark.entity';
export * from './subscription.entity';
export * from './read-state.entity';
export * from './flag.entity';
export * from './post-fanout.entity';
export * from './post-mention.entity';
export * from './reply-token.entity';

import { ForumBookmark } from './bookmark.entity';
import { ForumCategory } from './category.entity';
import { ForumFlag } from './flag.entity';
import { ForumPostRevision } from './post-revision.entity';
import { ForumPost } from './post.entity';
import { ForumPostFanout } from './post-fanout.entity';
import { ForumPostMention } from './post-mention.entity';
import { ForumReaction } from './reaction.entity';
import { ForumReadState } from './read-state.entity';
import { ForumReplyToken } from './reply-token.entity';
import { ForumSubscription } from './subscription.entity';
import { ForumThread } from './thread.entity';

export const FORUM_ENTITIES = [
  ForumCategory,
  ForumThread,
  ForumPost,
  ForumPostRevision,
  ForumReaction,
  ForumBookmark,
  ForumSubscription,
  ForumReadState,
  ForumReplyToken,
  ForumFlag,
  ForumPostFanout,
  ForumPostMention,
];
