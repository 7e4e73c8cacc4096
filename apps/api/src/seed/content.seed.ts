import { EntityManager } from 'typeorm';
import { markdownToText, renderMarkdown } from '@cophub/core';

const CATEGORIES = [
  { name: 'Announcements', description: 'News from the co-chairs and the Workforce Council.', policy: 'co_chairs' },
  {
    name: 'Practice and supervision',
    description: 'Share skills, resources and questions about practice.',
    policy: 'members',
  },
  { name: 'Career progression', description: 'Banding, progression routes and role clarity.', policy: 'members' },
];

const THREADS: Array<{ category: number; title: string; posts: string[] }> = [
  {
    category: 0,
    title: 'Welcome to the North West CoP forum',
    posts: [
      'Welcome! This is the place to **network**, share practice and tell us what to take to the Workforce Council.\n\nPlease read the terms of reference in the resource library.',
    ],
  },
  {
    category: 1,
    title: 'Group supervision formats that work for PWPs',
    posts: [
      'We have moved to fortnightly group case management supervision. Has anyone tried *rotating chairs*?',
      'We tried it for six months: it helped newer PWPs find their voice. The key was a clear agenda.',
      '> The key was a clear agenda.\n\nAgreed — we use a simple template, happy to share it.',
    ],
  },
  {
    category: 2,
    title: 'What would help your career progression?',
    posts: [
      'The co-chairs want to take evidence to the Workforce Council. What has helped or blocked your progression?',
      'Protected time for CPD would make the biggest difference for MHWPs in our trust.',
    ],
  },
];

/** Forum categories and threads, and an open opinion poll, when the community has none yet. */
export async function seedContent(manager: EntityManager, communityId: string, memberIds: string[], coChairId: string) {
  const [{ n }] = await manager.query('SELECT count(*)::int AS n FROM forum_categories WHERE community_id = $1', [
    communityId,
  ]);
  if (n > 0) return;
  const categoryIds: string[] = [];
  for (const [position, category] of CATEGORIES.entries()) {
    const [row] = await manager.query(
      `INSERT INTO forum_categories (community_id, name, description, position, post_policy)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [communityId, category.name, category.description, position, category.policy],
    );
    categoryIds.push(row.id);
  }
  const start = Date.now() - 6 * 86_400_000;
  for (const [t, thread] of THREADS.entries()) {
    const authors = thread.category === 0 ? [coChairId] : [memberIds[(t * 3) % memberIds.length], ...memberIds];
    const times = thread.posts.map((_, i) => new Date(start + t * 86_400_000 + i * 3_600_000));
    const [row] = await manager.query(
      `INSERT INTO forum_threads (community_id, category_id, author_id, title, post_count, last_post_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
      [
        communityId,
        categoryIds[thread.category],
        authors[0],
        thread.title,
        thread.posts.length,
        times[times.length - 1],
        times[0],
      ],
    );
    for (const [i, body] of thread.posts.entries()) {
      await manager.query(
        `INSERT INTO forum_posts (community_id, thread_id, post_number, author_id, body_source, body_html, body_text, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
        [
          communityId,
          row.id,
          i + 1,
          authors[i % authors.length],
          body,
          renderMarkdown(body),
          markdownToText(body),
          times[i],
        ],
      );
    }
  }

  // An anonymous opinion poll, open for two weeks, to every approved member (its electorate).
  const context =
    'Your answers are anonymous. Results by profession and career stage go to the Workforce Council; groups smaller than 5 are not shown.';
  const [poll] = await manager.query(
    `INSERT INTO polls (community_id, created_by, title, context_source, context_html, status, anonymous, results_visibility,
                        opened_at, closes_at, electorate_size)
     VALUES ($1, $2, 'Workforce Council survey: career progression', $3, $4, 'open', true, 'after_close', now(),
             now() + interval '14 days', 0) RETURNING id`,
    [communityId, coChairId, context, renderMarkdown(context)],
  );
  const questions: Array<{ kind: string; prompt: string; options?: string[] }> = [
    { kind: 'likert', prompt: 'I have a clear route for career progression in my role.' },
    {
      kind: 'single_choice',
      prompt: 'What would help your progression most?',
      options: ['Protected CPD time', 'Clear banding framework', 'Supervision and mentoring', 'Other'],
    },
    { kind: 'free_text', prompt: 'Anything else the co-chairs should take to the Workforce Council?' },
  ];
  for (const [position, question] of questions.entries()) {
    const [q] = await manager.query(
      `INSERT INTO poll_questions (poll_id, community_id, position, kind, prompt, required)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [poll.id, communityId, position, question.kind, question.prompt, question.kind !== 'free_text'],
    );
    for (const [i, label] of (question.options ?? []).entries()) {
      await manager.query('INSERT INTO poll_options (question_id, poll_id, position, label) VALUES ($1, $2, $3, $4)', [
        q.id,
        poll.id,
        i,
        label,
      ]);
    }
  }
  await manager.query(
    `INSERT INTO poll_electorate (poll_id, user_id, community_id, profession, career_stage, region)
     SELECT $1, u.id, m.community_id, u.profession, u.career_stage, u.region
       FROM memberships m JOIN users u ON u.id = m.user_id
      WHERE m.community_id = $2 AND m.status = 'approved'`,
    [poll.id, communityId],
  );
  await manager.query(
    'UPDATE polls SET electorate_size = (SELECT count(*) FROM poll_electorate WHERE poll_id = $1) WHERE id = $1',
    [poll.id],
  );
}
