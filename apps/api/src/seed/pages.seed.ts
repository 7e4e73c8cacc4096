import { renderMarkdown, Sql } from '@cophub/core';
import { insertFirstRevision, insertPage } from './db/pages.sql';

const PAGES: Array<{ slug: string; title: string; visibility: 'members' | 'public'; body: string }> = [
  {
    slug: 'terms-of-reference',
    title: 'Terms of Reference',
    visibility: 'public',
    body: `# Terms of Reference

## Purpose
The North West Psychological Practitioner Community of Practice (CoP) brings together Psychological
Wellbeing Practitioners, Children and Young People's Wellbeing Practitioners, Education Mental Health
Practitioners and Mental Health and Wellbeing Practitioners to network, share skills and knowledge,
and shape policy through the region's PPN Workforce Council.

## Membership
- Open to practitioners, trainees and supervisors working in the North West.
- Members join through CoP Hub; co-chairs approve requests.

## Leadership
- Two co-chairs, elected by members for two years, sit on the PPN Workforce Council.
- Co-chairs bring members' views to the Council, informed by polls and forum discussion.

## Meetings
- Quarterly online meetings, and an annual kickstarter event for new trainees.
- Quorum: 5 members including one co-chair.

## Review
These terms are reviewed every year at the first quarterly meeting.`,
  },
  {
    slug: 'kickstarter-notes',
    title: 'Kickstarter event summary notes',
    visibility: 'members',
    body: `# Kickstarter event: summary notes

## What we heard
- Trainees want **protected time for supervision** and clearer routes from band 4 to band 5.
- Role clarity varies between services; members asked for shared job-description examples.
- People valued meeting peers from other roles (PWP, CYWP, EMHP, MHWP).

## Actions
1. Co-chairs to take career-progression findings to the Workforce Council.
2. Start a forum category for supervision questions.
3. Run a poll on outcome measures for newer roles.`,
  },
];

/** The demo community's Terms of Reference and kickstarter notes, once each, with their first revision. */
export async function seedPages(db: Sql, communityId: string, coChairId: string): Promise<number> {
  let added = 0;
  for (const page of PAGES) {
    const pageId = await insertPage(db, {
      communityId,
      slug: page.slug,
      title: page.title,
      body: page.body,
      bodyHtml: renderMarkdown(page.body),
      visibility: page.visibility,
      by: coChairId,
    });
    if (!pageId) continue;
    await insertFirstRevision(db, {
      pageId,
      communityId,
      title: page.title,
      body: page.body,
      visibility: page.visibility,
      by: coChairId,
    });
    added += 1;
  }
  return added;
}
