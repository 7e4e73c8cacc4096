import { ukDateTime } from '@cophub/core';
import { nextReminderAllowedAt, type Poll, type PollDetail } from '@cophub/polls';
import type { PollSummaryView, PollView } from './dto/poll.dto';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toPollSummaryView(poll: Poll): PollSummaryView {
  return {
    id: poll.id,
    communityId: poll.communityId,
    title: poll.title,
    status: poll.status,
    anonymous: poll.anonymous,
    allowChange: poll.allowChange,
    resultsVisibility: poll.resultsVisibility,
    audience: {
      professions: poll.audienceProfessions,
      careerStages: poll.audienceCareerStages,
      regions: poll.audienceRegions,
    },
    opensAt: iso(poll.opensAt),
    closesAt: iso(poll.closesAt),
    remindAt: iso(poll.remindAt),
    openedAt: iso(poll.openedAt),
    closedAt: iso(poll.closedAt),
    electorateSize: poll.electorateSize,
    createdAt: poll.createdAt.toISOString(),
  };
}

const uk = (d: Date | null) => (d ? ukDateTime(d) : null);

export function toPollView(detail: PollDetail, now: Date): PollView {
  const poll = detail.poll;
  return {
    ...toPollSummaryView(poll),
    communitySlug: detail.community.slug,
    communityName: detail.community.name,
    timesText: { opensAt: uk(poll.opensAt), closesAt: uk(poll.closesAt), remindAt: uk(poll.remindAt) },
    reminders: {
      scheduledSentAt: iso(poll.remindedAt),
      lastSentNowAt: iso(poll.remindedNowAt),
      nextAllowedAt: iso(nextReminderAllowedAt(poll, now)),
    },
    contextSource: detail.poll.contextSource,
    contextHtml: detail.poll.contextHtml,
    questions: detail.questions,
    responses: detail.responses,
    me: detail.me,
  };
}
