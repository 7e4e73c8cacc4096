import { Link } from 'react-router-dom';
import { http, ok } from '../../api/http';
import type { PollStatus, QuestionKind } from '../../api/types';
import { formatDateTime } from '../../components/labels';
import { Async, Breadcrumbs, PageHeading, Tag, useAsync, type TagColour } from '../../components/ui';
import { isCoChair, useCommunity } from '../communities/community';

export const STATUS_TAGS: Record<PollStatus, [string, TagColour]> = {
  draft: ['Draft', 'grey'],
  scheduled: ['Upcoming', 'yellow'],
  open: ['Open', 'green'],
  closed: ['Closed', 'white'],
};

export const KINDS: Record<QuestionKind, string> = {
  single_choice: 'Choose one option',
  multiple_choice: 'Choose several options',
  likert: 'Agree or disagree (5-point scale)',
  ranked: 'Put options in order of preference',
  score: 'Score from 0 to 10',
  free_text: 'Written answer',
};

const GROUPS: Array<{ status: PollStatus; title: string; empty: string }> = [
  { status: 'open', title: 'Open now', empty: 'No polls are open.' },
  { status: 'scheduled', title: 'Upcoming', empty: 'Nothing planned.' },
  { status: 'closed', title: 'Closed', empty: 'No closed polls yet.' },
  { status: 'draft', title: 'Drafts', empty: 'No drafts.' },
];

export function PollsPage() {
  const { slug, standing } = useCommunity();
  const polls = useAsync(['/communities/*/polls', slug], () =>
    ok(http.GET('/api/v1/communities/{slug}/polls', { params: { path: { slug }, query: { limit: 100 } } })),
  );
  const manages = Boolean(standing.data && isCoChair(standing.data));
  return (
    <>
      <Breadcrumbs
        items={[
          { to: '/communities', label: 'Communities' },
          { to: `/c/${slug}`, label: standing.data?.community.name ?? 'Community' },
        ]}
      />
      <PageHeading caption={standing.data?.community.name}>Polls and surveys</PageHeading>
      <p className="nhsuk-lede-text">Your answers shape what your co-chairs take to the regional Workforce Council.</p>
      {manages && (
        <Link className="nhsuk-button" to={`/c/${slug}/polls/new`}>
          Create a poll
        </Link>
      )}
      <Async state={polls} what="Loading polls">
        {(page) => (
          <>
            {GROUPS.filter((g) => g.status !== 'draft' || manages).map((group) => {
              const items = page.items.filter((p) => p.status === group.status);
              return (
                <section key={group.status} aria-labelledby={`polls-${group.status}`}>
                  <h2 className="nhsuk-heading-m" id={`polls-${group.status}`}>
                    {group.title}
                  </h2>
                  {items.length === 0 ? (
                    <p>{group.empty}</p>
                  ) : (
                    <ul className="nhsuk-list nhsuk-list--border">
                      {items.map((p) => (
                        <li key={p.id}>
                          <Link className="nhsuk-u-font-weight-bold" to={`/polls/${p.id}`}>
                            {p.title}
                          </Link>{' '}
                          <Tag colour={STATUS_TAGS[p.status][1]}>{STATUS_TAGS[p.status][0]}</Tag>{' '}
                          {p.anonymous && <Tag colour="white">Anonymous</Tag>}
                          <br />
                          <span className="nhsuk-body-s">
                            {p.status === 'open' && p.closesAt && `Closes ${formatDateTime(p.closesAt)}`}
                            {p.status === 'scheduled' && p.opensAt && `Opens ${formatDateTime(p.opensAt)}`}
                            {p.status === 'closed' && p.closedAt && `Closed ${formatDateTime(p.closedAt)}`}
                          </span>
                        </li>
                      ))}
                    </ul>
                  )}
                </section>
              );
            })}
          </>
        )}
      </Async>
    </>
  );
}
