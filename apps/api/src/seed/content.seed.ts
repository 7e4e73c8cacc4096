import { markdownToText, renderMarkdown, Sql } from '@cophub/core';
import { categoryCount, insertCategory, insertPost, insertThread } from './db/forum.sql';
import { insertOpenPoll, insertOption, insertQuestion, snapshotElectorate } from './db/polls.sql';

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
export async function seedContent(db: Sql, communityId: string, memberIds: string[], coChairId: string) {
  if ((await categoryCount(db, communityId)) > 0) return;
  const categoryIds: string[] = [];
  for (const [position, category] of CATEGORIES.entries()) {
    categoryIds.push(
      await insertCategory(db, {
        communityId,
        name: category.name,
        description: category.description,
        position,
        policy: category.policy,
      }),
    );
  }
  const start = Date.now() - 6 * 86_400_000;
  for (const [t, thread] of THREADS.entries()) {
    const authors = thread.category === 0 ? [coChairId] : [memberIds[(t * 3) % memberIds.length], ...memberIds];
    const times = thread.posts.map((_, i) => new Date(start + t * 86_400_000 + i * 3_600_000));
    const threadId = await insertThread(db, {
      communityId,
      categoryId: categoryIds[thread.category],
      authorId: authors[0],
      title: thread.title,
      postCount: thread.posts.length,
      lastPostAt: times[times.length - 1],
      createdAt: times[0],
    });
    for (const [i, body] of thread.posts.entries()) {
      await insertPost(db, {
        communityId,
        threadId,
        postNumber: i + 1,
        authorId: authors[i % authors.length],
        source: body,
        html: renderMarkdown(body),
        text: markdownToText(body),
        createdAt: times[i],
      });
    }
  }

  // An anonymous opinion poll, open for two weeks, to every approved member (its electorate).
  const context =
    'Your answers are anonymous. Results by profession and career stage go to the Workforce Council; groups smaller than 5 are not shown.';
  const pollId = await insertOpenPoll(db, {
    communityId,
    createdBy: coChairId,
    title: 'Workforce Council survey: career progression',
    context,
    contextHtml: renderMarkdown(context),
  });
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
    const questionId = await insertQuestion(db, {
      pollId,
      communityId,
      position,
      kind: question.kind,
      prompt: question.prompt,
      required: question.kind !== 'free_text',
    });
    for (const [i, label] of (question.options ?? []).entries()) {
      await insertOption(db, { questionId, pollId, position: i, label });
    }
  }
  await snapshotElectorate(db, pollId, communityId);
}
