import request from 'supertest';
import { FREQUENT_SHARE, RECENT_CANDIDATES } from '../../libs/forum/src/services/forum-search.provider';
import { createCommunity, createMember, TestCommunity, TestStack, TestUser } from '@cophub/testing';

interface Hit {
  kind: string;
  id: string;
  rank: number;
  snippet: string;
}

/**
 * Where the forum search takes its candidates from: the newest matching posts for a query whose words
 * the statistics say are frequent, the GIN index otherwise, and the whole query (negations, phrases)
 * checked on either. Visibility is the same on both paths.
 */
describe('forum search candidates', () => {
  let stack: TestStack;
  let community: TestCommunity;
  let member: TestUser;
  let threadId: string;
  let deletedThreadId: string;
  /** Post ids, newest first. */
  let newest: string[];
  const POSTS = 300;

  const search = (app: () => request.Agent, q: string, cursor?: string) =>
    app()
      .get(`/api/v1/communities/${community.slug}/forum/search`)
      .query({ q, limit: 50, ...(cursor ? { cursor } : {}) })
      .set('Authorization', `Bearer ${member.token}`);
  const a = () => stack.http() as unknown as request.Agent;
  let b: () => request.Agent;

  async function allPosts(app: () => request.Agent, q: string): Promise<Hit[]> {
    const seen: Hit[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page += 1) {
      const res = await search(app, q, cursor);
      expect(res.status).toBe(200);
      seen.push(...(res.body.items as Hit[]).filter((h) => h.kind === 'post'));
      cursor = res.body.nextCursor ?? undefined;
      if (!cursor) break;
    }
    return seen;
  }

  async function addPost(thread: string, postNumber: number, text: string, minutesAgo: number): Promise<string> {
    const [row] = await stack.query<{ id: string }>(
      `INSERT INTO forum_posts (community_id, thread_id, post_number, author_id, body_source, body_html, body_text, created_at)
       VALUES ($1, $2, $3, $4, $5, '<p>' || $5 || '</p>', $5, now() - ($6 || ' minutes')::interval) RETURNING id`,
      [community.id, thread, postNumber, member.id, text, minutesAgo],
    );
    return row.id;
  }

  beforeAll(async () => {
    stack = await TestStack.start({ worker: false, smtp: false });
    community = await createCommunity(stack);
    member = await createMember(stack, community, 'member');
    const [category] = await stack.query<{ id: string }>(
      `INSERT INTO forum_categories (community_id, name) VALUES ($1, 'General') RETURNING id`,
      [community.id],
    );
    const thread = async (title: string) =>
      (
        await stack.query<{ id: string }>(
          `INSERT INTO forum_threads (community_id, category_id, author_id, title, post_count, last_post_at)
           VALUES ($1, $2, $3, $4, 0, now()) RETURNING id`,
          [community.id, category.id, member.id, title],
        )
      )[0].id;
    threadId = await thread('Evening notes');
    deletedThreadId = await thread('Gone');
    // Every post says "lantern"; every fifth also says "moth"; a few say "quokka", one of them in the
    // phrase "blue quokka", two of them hidden or deleted, one in a deleted thread. Post i is i minutes old.
    newest = [];
    for (let i = 0; i < POSTS; i += 1) {
      const words = ['lantern', 'evening', `note${i}`];
      if (i % 5 === 0) words.push('moth');
      if (i === 151) words.push('blue quokka');
      else if (i === 161 || i === 171) words.push('quokka blue', 'moth');
      else if (i === 1 || i === 2) words.push('quokka'); // hidden and deleted below
      newest.push(await addPost(threadId, i + 1, words.join(' '), i));
    }
    await stack.query(`UPDATE forum_posts SET hidden_at = now() WHERE id = $1`, [newest[1]]);
    await stack.query(`UPDATE forum_posts SET deleted_at = now() WHERE id = $1`, [newest[2]]);
    await addPost(deletedThreadId, 1, 'lantern quokka in a deleted thread', 1_000);
    await stack.query(`UPDATE forum_threads SET deleted_at = now() WHERE id = $1`, [deletedThreadId]);
    // The statistics that tell frequent words from rare ones.
    await stack.query('ANALYZE forum_posts');
    const { url: secondUrl } = await stack.startApi();
    b = () => request(secondUrl) as unknown as request.Agent;
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('ranks the newest matches of a frequent word, never hidden, deleted or deleted-thread posts', async () => {
    const [stats] = await stack.query<{ share: number }>(
      `SELECT w.share FROM pg_stats s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) w(lexeme, share)
        WHERE s.tablename = 'forum_posts' AND s.attname = 'search' AND w.lexeme = 'lantern'`,
    );
    expect(stats.share).toBeGreaterThanOrEqual(FREQUENT_SHARE);
    const hits = await allPosts(a, 'lantern');
    const ids = hits.map((h) => h.id);
    // The newest RECENT_CANDIDATES visible posts, each once, best first.
    const visible = newest.filter((_, i) => i !== 1 && i !== 2);
    expect(new Set(ids)).toEqual(new Set(visible.slice(0, RECENT_CANDIDATES)));
    expect(ids).toHaveLength(RECENT_CANDIDATES);
    for (let i = 1; i < hits.length; i += 1) expect(hits[i].rank).toBeLessThanOrEqual(hits[i - 1].rank);
    expect(hits.every((h) => h.snippet.includes('<mark>lantern</mark>'))).toBe(true);
  });

  it('checks negations on the candidates of a frequent word', async () => {
    const ids = (await allPosts(a, 'lantern -moth')).map((h) => h.id);
    // The newest visible posts without the word, as many as are ranked.
    const expected = newest.filter((_, i) => i !== 1 && i !== 2 && i % 5 !== 0 && i !== 161 && i !== 171);
    expect(new Set(ids)).toEqual(new Set(expected.slice(0, RECENT_CANDIDATES)));
  });

  it('finds a rare word through the index with its negations and phrases checked', async () => {
    expect(new Set((await allPosts(a, 'quokka')).map((h) => h.id))).toEqual(
      new Set([newest[151], newest[161], newest[171]]),
    );
    expect((await allPosts(a, 'quokka -moth')).map((h) => h.id)).toEqual([newest[151]]);
    expect((await allPosts(a, '"blue quokka"')).map((h) => h.id)).toEqual([newest[151]]);
    expect(await allPosts(a, 'moth -moth')).toEqual([]);
  });

  it('shows a new post and a hidden one on the next search from either instance', async () => {
    // Both instances have read the word statistics by now: they choose plans, they hold no results.
    await allPosts(b, 'lantern');
    const fresh = await addPost(threadId, POSTS + 1, 'lantern quokka at dawn', -1);
    for (const app of [a, b]) {
      expect((await allPosts(app, 'lantern')).map((h) => h.id)).toContain(fresh);
      expect((await allPosts(app, 'quokka')).map((h) => h.id)).toContain(fresh);
    }
    await stack.query(`UPDATE forum_posts SET hidden_at = now() WHERE id = $1`, [fresh]);
    for (const app of [a, b]) {
      expect((await allPosts(app, 'lantern')).map((h) => h.id)).not.toContain(fresh);
      expect((await allPosts(app, 'quokka')).map((h) => h.id)).not.toContain(fresh);
    }
  });

  it('refuses an empty or over-long query and a bad cursor with 400', async () => {
    await search(a, '').expect(400);
    await search(a, 'x'.repeat(201)).expect(400);
    await search(a, 'lantern', 'not-a-cursor').expect(400);
  });
});
