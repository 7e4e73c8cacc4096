import { Sql } from '@cophub/core';

/**
 * The seed's statements on the forum's tables: categories, and threads and posts backdated over the past week
 * (the forum's services would date them now and notify watchers).
 */

export async function categoryCount(db: Sql, communityId: string): Promise<number> {
  const row = await db.one<{ n: number }>('SELECT count(*)::int AS n FROM forum_categories WHERE community_id = $1', [
    communityId,
  ]);
  return row.n;
}

export async function insertCategory(
  db: Sql,
  category: { communityId: string; name: string; description: string; position: number; policy: string },
): Promise<string> {
  const row = await db.one<{ id: string }>(
    `INSERT INTO forum_categories (community_id, name, description, position, post_policy)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [category.communityId, category.name, category.description, category.position, category.policy],
  );
  return row.id;
}

export async function insertThread(
  db: Sql,
  thread: {
    communityId: string;
    categoryId: string;
    authorId: string;
    title: string;
    postCount: number;
    lastPostAt: Date;
    createdAt: Date;
  },
): Promise<string> {
  const row = await db.one<{ id: string }>(
    `INSERT INTO forum_threads (community_id, category_id, author_id, title, post_count, last_post_at, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
    [
      thread.communityId,
      thread.categoryId,
      thread.authorId,
      thread.title,
      thread.postCount,
      thread.lastPostAt,
      thread.createdAt,
    ],
  );
  return row.id;
}

export async function insertPost(
  db: Sql,
  post: {
    communityId: string;
    threadId: string;
    postNumber: number;
    authorId: string;
    source: string;
    html: string;
    text: string;
    createdAt: Date;
  },
): Promise<void> {
  await db.exec(
    `INSERT INTO forum_posts (community_id, thread_id, post_number, author_id, body_source, body_html, body_text, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
    [
      post.communityId,
      post.threadId,
      post.postNumber,
      post.authorId,
      post.source,
      post.html,
      post.text,
      post.createdAt,
    ],
  );
}
