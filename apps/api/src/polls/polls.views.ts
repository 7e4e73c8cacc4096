import type { Poll, PollDetail } from '@cophub/polls';
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

export function toPollView(detail: PollDetail): PollView {
  return {
    ...toPollSummaryView(detail.poll),
    contextSource: detail.poll.contextSource,
    contextHtml: detail.poll.contextHtml,
    questions: detail.questions,
    responses: detail.responses,
    me: detail.me,
  };
}
