import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import type { Poll } from '../../api/types';
import { formatDateTime } from '../../components/labels';
import { ErrorPanel, Loading, Notice, PageHeading, SummaryList, Tag, useAsync } from '../../components/ui';
import { ItemCommunityNav } from '../communities/CommunityNav';
import { AnswerForm } from './AnswerForm';
import { ManagePoll } from './ManagePoll';
import { Results } from './PollResults';
import { STATUS_TAGS } from './PollsPages';
import { fetchPoll } from './pollWrites';

/** The poll as a member meets it: title, status, why it is asked, and what happens to their answers. */
function PollIntro({ poll, caption }: { poll: Poll; caption: string }) {
  const [statusLabel, statusColour] = STATUS_TAGS[poll.status];
  return (
    <>
      <PageHeading caption={caption} title={caption === 'Poll' ? poll.title : `${caption}: ${poll.title}`}>
        {poll.title}
      </PageHeading>
      <p>
        <Tag colour={statusColour}>{statusLabel}</Tag>{' '}
        {poll.anonymous ? <Tag colour="white">Anonymous</Tag> : <Tag colour="white">Named</Tag>}
      </p>
      {poll.contextHtml && <div className="cophub-prose" dangerouslySetInnerHTML={{ __html: poll.contextHtml }} />}
    </>
  );
}

function memberRows(poll: Poll): Array<[string, string]> {
  return [
    ['Questions', String(poll.questions.length)],
    ...(poll.status === 'scheduled' && poll.timesText.opensAt
      ? ([['Opens', poll.timesText.opensAt]] as Array<[string, string]>)
      : []),
    ...(poll.timesText.closesAt && poll.status !== 'closed'
      ? ([['Closes', poll.timesText.closesAt]] as Array<[string, string]>)
      : []),
    ...(poll.closedAt ? ([['Closed', formatDateTime(poll.closedAt)]] as Array<[string, string]>) : []),
    [
      'Results',
      poll.anonymous
        ? 'Published once, when the poll closes (while it is open, only how many have answered)'
        : poll.resultsVisibility === 'live'
          ? 'Shown as answers come in'
          : 'Shown when the poll closes',
    ],
    [
      'Your answers',
      poll.anonymous
        ? 'Anonymous: your answers are stored sealed, with nothing that links them to you. Counts are shown from the close, only for groups of at least 5 people, and each count is moved by a small random amount (up to 2) so that nobody’s answer can be worked out, even by someone who knows their own answer'
        : poll.allowChange
          ? 'Named: co-chairs can see your answers. You can change them until the poll closes'
          : 'Named: co-chairs can see your answers',
    ],
  ];
}

export function PollPage() {
  const { id = '' } = useParams();
  const poll = useAsync(['/polls/*', id], () => fetchPoll(id));
  const [notice, setNotice] = useState('');
  const [problem, setProblem] = useState<unknown>(null);

  async function act(action: () => Promise<unknown>, message: string | ((result: unknown) => string)) {
    setProblem(null);
    setNotice('');
    try {
      const result = await action();
      // The write has refetched the poll already.
      setNotice(typeof message === 'string' ? message : message(result));
      return true;
    } catch (error) {
      setProblem(error);
      return false;
    }
  }

  if (poll.error instanceof ApiError && poll.error.body.code === 'not_in_audience') {
    return (
      <>
        <PageHeading>This poll is not open to you</PageHeading>
        <p>
          The co-chairs asked a particular group of members, for example one profession or career stage. You are not in
          that group, so you cannot see or answer this poll.
        </p>
        <p>
          <Link to="/communities">Back to your communities</Link>
        </p>
      </>
    );
  }
  if (poll.error) return <ErrorPanel error={poll.error} />;
  if (!poll.data) return <Loading what="Loading poll" />;
  const p = poll.data;
  const showResults = p.status === 'open' || p.status === 'closed';
  return (
    <>
      <ItemCommunityNav communityId={p.communityId} tab="Polls" />
      <PollIntro poll={p} caption="Poll" />
      <SummaryList
        rows={[
          ...memberRows(p),
          ...(showResults
            ? ([
                [
                  'Responses so far',
                  p.anonymous && p.status === 'open'
                    ? `${p.responses} (what they answered is published when the poll closes)`
                    : String(p.responses),
                ],
              ] as Array<[string, string]>)
            : []),
        ]}
      />
      <Notice>{notice}</Notice>
      {problem ? <ErrorPanel error={problem} /> : null}
      {p.status === 'open' && p.me.inAudience && !p.me.responded && (
        <>
          <h2 className="nhsuk-heading-l">Your answers</h2>
          <AnswerForm
            poll={p}
            onDone={() =>
              act(async () => undefined, 'Thank you. Your answers have been recorded.').then(() => undefined)
            }
          />
        </>
      )}
      {p.me.responded && (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>You have answered this poll.</p>
        </div>
      )}
      {p.status === 'open' && !p.me.inAudience && !p.me.manages && (
        <p>This poll is for a different group of members.</p>
      )}
      {p.me.manages && <ManagePoll poll={p} act={act} onProblem={setProblem} />}
      {showResults && (
        <section aria-labelledby="results-heading">
          <h2 className="nhsuk-heading-l" id="results-heading">
            Results
          </h2>
          <Results key={`${p.status}-${p.responses}`} poll={p} />
        </section>
      )}
      <p>
        <Link to={`/c/${p.communitySlug}/polls`}>All polls in {p.communityName}</Link>
      </p>
    </>
  );
}

/**
 * A co-chair's preview of a poll (usually a draft): the page a member will see, with the same answer
 * form and its checks, but nothing is sent.
 */
export function PollPreviewPage() {
  const { id = '' } = useParams();
  const poll = useAsync(['/polls/*', id], () => fetchPoll(id));
  const [notice, setNotice] = useState('');
  if (poll.error) return <ErrorPanel error={poll.error} />;
  if (!poll.data) return <Loading what="Loading poll" />;
  const p = poll.data;
  const base = `/c/${p.communitySlug}/polls/${p.id}`;
  return (
    <>
      <div className="nhsuk-warning-callout">
        <h2 className="nhsuk-warning-callout__label">
          <span role="text">
            <span className="nhsuk-u-visually-hidden">Important: </span>
            Preview
          </span>
        </h2>
        <p>
          This is how members will see the poll. You can try the answer form: your answers are checked but not sent.
        </p>
        <p className="cophub-actions">
          {p.status === 'draft' && <Link to={`${base}/edit`}>Edit this draft</Link>}
          <Link to={base}>Back to the poll</Link>
        </p>
      </div>
      <PollIntro poll={p} caption="Preview" />
      <SummaryList rows={memberRows(p)} />
      <Notice>{notice}</Notice>
      <h2 className="nhsuk-heading-l">Your answers</h2>
      <AnswerForm
        poll={p}
        preview
        onDone={async () => setNotice('These answers pass every check. This is a preview, so nothing was sent.')}
      />
    </>
  );
}
