import { CommunityAccessService, CommunityRole } from '@cophub/identity';
import {
  countRows,
  createCommunity,
  createMember,
  MediumModule,
  mediumModule,
  TestCommunity,
  TestUser,
} from '@cophub/testing';
import { FlagStatus } from '../db/enums';
import { ForumErrorCode } from '../errors/forum.error';
import { ForumModule } from '../forum.module';
import { CategoryService } from './category.service';
import { ModerationService } from './moderation.service';
import { PostService } from './post.service';
import { ThreadService } from './thread.service';

/** What a moderation action may change; a refused one changes none of it. */
const MODERATION_TABLES = ['forum_threads', 'forum_posts', 'forum_flags', 'audit_log', 'notifications', 'mail_outbox'];

/** Flags, hiding and locking on a real database: who may, what each writes, and that a refusal writes nothing. */
describe('forum moderation', () => {
  let medium: MediumModule;
  let community: TestCommunity;
  let moderator: TestUser;
  let coChair: TestUser;
  let author: TestUser;
  let reader: TestUser;
  let categoryId: string;
  let moderation: ModerationService;
  let posts: PostService;
  let threads: ThreadService;

  beforeAll(async () => {
    medium = await mediumModule({ imports: [ForumModule] });
    community = await createCommunity(medium);
    coChair = await createMember(medium, community, 'co_chair');
    moderator = await createMember(medium, community, 'moderator');
    author = await createMember(medium, community);
    reader = await createMember(medium, community);
    moderation = medium.get(ModerationService);
    posts = medium.get(PostService);
    threads = medium.get(ThreadService);
    const category = await medium.get(CategoryService).create(await contextOf(coChair), { name: 'Supervision' });
    categoryId = category.id;
  });

  afterAll(async () => {
    await medium?.close();
  });

  function contextOf(user: TestUser) {
    return medium.get(CommunityAccessService).byId(medium.caller(user), community.id, CommunityRole.Member);
  }

  /** A thread by the author with one reply by the reader; answers the thread and the reply. */
  async function discussion() {
    const thread = await threads.create(await contextOf(author), {
      categoryId,
      title: 'Step-down from high intensity',
      body: 'How do your services handle step-down?',
    });
    const reply = await posts.reply(medium.caller(reader), thread.id, { body: 'We use a shared review.' });
    return { threadId: thread.id, postId: reply.id };
  }

  const auditOf = (targetId: string) =>
    medium.query<{ action: string; actor_id: string }>(
      'SELECT action, actor_id FROM audit_log WHERE target_id = $1 ORDER BY id',
      [targetId],
    );

  const flagsOf = (postId: string) =>
    medium.query<{ reporter_id: string; status: string }>(
      'SELECT reporter_id, status FROM forum_flags WHERE post_id = $1 ORDER BY created_at',
      [postId],
    );

  it('takes one open flag per member per post, and tells the moderators once', async () => {
    const { postId } = await discussion();
    const attempts = await Promise.allSettled([
      moderation.flag(medium.caller(author), postId, 'Names a client'),
      moderation.flag(medium.caller(author), postId, 'Names a client'),
    ]);
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    const refused = attempts.find((a): a is PromiseRejectedResult => a.status === 'rejected');
    expect(refused?.reason).toMatchObject({ code: ForumErrorCode.AlreadyFlagged });
    await expect(moderation.flag(medium.caller(author), postId, 'Again')).rejects.toMatchObject({
      code: ForumErrorCode.AlreadyFlagged,
    });
    // Another member may flag the same post.
    await moderation.flag(medium.caller(coChair), postId, 'Off topic');
    expect(await flagsOf(postId)).toEqual([
      { reporter_id: author.id, status: 'open' },
      { reporter_id: coChair.id, status: 'open' },
    ]);
    // The author's flag reached the moderator and the co-chair (not the reporter), once each.
    const told = await medium.query<{ user_id: string }>(
      `SELECT user_id FROM notifications WHERE kind = 'moderation_flag' AND data->>'flagId' IN
         (SELECT id::text FROM forum_flags WHERE post_id = $1 AND reporter_id = $2) ORDER BY user_id`,
      [postId, author.id],
    );
    expect(told.map((n) => n.user_id)).toEqual([moderator.id, coChair.id].sort());

    // Once the flag is dismissed, the member may report the post again.
    const [open] = (await moderation.flags(await contextOf(moderator), FlagStatus.Open, 10)).items.filter(
      (f) => f.postId === postId && f.reporter.id === author.id,
    );
    await moderation.resolveFlag(await contextOf(moderator), open.id, 'dismiss');
    await expect(moderation.resolveFlag(await contextOf(moderator), open.id, 'dismiss')).rejects.toMatchObject({
      code: ForumErrorCode.FlagResolved,
    });
    await moderation.flag(medium.caller(author), postId, 'It is still there');
    expect((await flagsOf(postId)).map((f) => f.status)).toEqual(['dismissed', 'open', 'open']);
    expect(await auditOf(open.id)).toEqual([{ action: 'forum.flag.dismiss', actor_id: moderator.id }]);
  });

  it('a moderator hides a post (settling its open flags) and shows it again, each change audited once', async () => {
    const { postId } = await discussion();
    await moderation.flag(medium.caller(author), postId, 'Names a client');

    const hidden = await moderation.setHidden(medium.caller(moderator), postId, true, 'Identifiable details');
    expect(hidden).toMatchObject({ hidden: true, hiddenReason: 'Identifiable details' });
    expect(await flagsOf(postId)).toEqual([{ reporter_id: author.id, status: 'actioned' }]);
    // Members no longer see its text; hiding again changes nothing and writes no second audit row.
    expect((await posts.get(medium.caller(author), postId)).html).toBeNull();
    await moderation.setHidden(medium.caller(moderator), postId, true, 'Again');
    expect(await auditOf(postId)).toEqual([{ action: 'forum.post.hide', actor_id: moderator.id }]);

    const shown = await moderation.setHidden(medium.caller(coChair), postId, false);
    expect(shown).toMatchObject({ hidden: false, hiddenReason: null });
    expect((await posts.get(medium.caller(author), postId)).html).toContain('shared review');
    expect(await auditOf(postId)).toEqual([
      { action: 'forum.post.hide', actor_id: moderator.id },
      { action: 'forum.post.unhide', actor_id: coChair.id },
    ]);
  });

  it("a locked thread refuses members' replies and edits, and takes a moderator's", async () => {
    const { threadId, postId } = await discussion();
    expect(await moderation.setLocked(medium.caller(moderator), threadId, true)).toMatchObject({ locked: true });
    const before = await countRows(medium, MODERATION_TABLES);
    await expect(posts.reply(medium.caller(reader), threadId, { body: 'One more thing' })).rejects.toMatchObject({
      code: ForumErrorCode.ThreadLocked,
    });
    // The long way (a quote) refuses it too.
    await expect(
      posts.reply(medium.caller(author), threadId, { body: 'Quoting you', quotePostId: postId }),
    ).rejects.toMatchObject({ code: ForumErrorCode.ThreadLocked });
    await expect(posts.edit(medium.caller(reader), postId, { body: 'Edited' })).rejects.toMatchObject({
      code: ForumErrorCode.ThreadLocked,
    });
    expect(await countRows(medium, MODERATION_TABLES)).toEqual(before);

    const closing = await posts.reply(medium.caller(moderator), threadId, { body: 'Locked: see the new thread.' });
    expect(closing.postNumber).toBe(3);
    await moderation.setLocked(medium.caller(moderator), threadId, false);
    expect((await posts.reply(medium.caller(reader), threadId, { body: 'Thanks' })).postNumber).toBe(4);
    expect(await auditOf(threadId)).toEqual([
      { action: 'forum.thread.lock', actor_id: moderator.id },
      { action: 'forum.thread.unlock', actor_id: moderator.id },
    ]);
  });

  it('refuses every moderation action to a member with the policy error, and changes nothing', async () => {
    const { threadId, postId } = await discussion();
    await moderation.flag(medium.caller(author), postId, 'Names a client');
    const [flag] = (await moderation.flags(await contextOf(moderator), FlagStatus.Open, 50)).items.filter(
      (f) => f.postId === postId,
    );
    const other = await medium.get(CategoryService).create(await contextOf(coChair), { name: 'Elsewhere' });
    const before = await countRows(medium, MODERATION_TABLES);
    const member = medium.caller(reader);
    const asMember = await contextOf(reader);
    const refusals = [
      () => moderation.setLocked(member, threadId, true),
      () => moderation.setPinned(member, threadId, true),
      () => moderation.setHidden(member, postId, true, 'Mine'),
      () => moderation.move(member, threadId, other.id),
      () => moderation.flags(asMember, FlagStatus.Open, 10),
      () => moderation.resolveFlag(asMember, flag.id, 'hide'),
    ];
    for (const refusal of refusals) {
      await expect(refusal()).rejects.toMatchObject({ code: ForumErrorCode.ModeratorRequired, status: 403 });
    }
    expect(await countRows(medium, MODERATION_TABLES)).toEqual(before);
    expect(await threads.get(member, threadId)).toMatchObject({ locked: false, pinned: false, categoryId });
    expect(await posts.get(member, postId)).toMatchObject({ hidden: false });
    expect(await flagsOf(postId)).toEqual([{ reporter_id: author.id, status: 'open' }]);
  });

  it('acting on a flag hides the post and settles every open flag on it, audited', async () => {
    const { postId } = await discussion();
    await moderation.flag(medium.caller(author), postId, 'Names a client');
    await moderation.flag(medium.caller(coChair), postId, 'Identifiable');
    const [first] = (await moderation.flags(await contextOf(moderator), FlagStatus.Open, 50)).items.filter(
      (f) => f.postId === postId && f.reporter.id === author.id,
    );
    await moderation.resolveFlag(await contextOf(moderator), first.id, 'hide');
    expect((await flagsOf(postId)).map((f) => f.status)).toEqual(['actioned', 'actioned']);
    expect(await posts.get(medium.caller(moderator), postId)).toMatchObject({ hidden: true, hiddenReason: 'flagged' });
    expect(await auditOf(first.id)).toEqual([{ action: 'forum.flag.action', actor_id: moderator.id }]);
    expect(await auditOf(postId)).toEqual([{ action: 'forum.post.hide', actor_id: moderator.id }]);
  });
});
