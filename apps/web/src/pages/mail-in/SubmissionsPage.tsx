import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { http, ok } from '../../api/http';
import { useInvalidate } from '../../api/query';
import type { components } from '../../api/schema';
import { Button, Select, Textarea, TextInput } from '../../components/forms';
import { Async, Breadcrumbs, ErrorPanel, Notice, PageHeading, SummaryList, Tag, useAsync } from '../../components/ui';
import { isCoChair, useCommunity } from '../communities/community';
import { categoriesKey, fetchCategories } from '../forum/forumWrites';

type S = components['schemas'];
/** The sender checks as received; the page shows DMARC and SPF. */
type Submission = Omit<S['SubmissionDto'], 'authentication'> & {
  authentication: { spf: string; dmarc: string; dkim: Array<{ domain: string; result: string }> };
};

/** What a co-chair decides about a submission, each a route of its own. */
type Decision =
  | { path: 'publish-thread'; body: S['PublishThreadDto'] }
  | { path: 'publish-resource'; body: S['PublishResourceDto'] }
  | { path: 'decline'; body: S['DeclineSubmissionDto'] };

function useDecision(slug: string, id: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ path, body }: Decision) => {
      const params = { params: { path: { slug, id } } };
      if (path === 'publish-thread') {
        return ok(http.POST('/api/v1/communities/{slug}/mail-submissions/{id}/publish-thread', { ...params, body }));
      }
      if (path === 'publish-resource') {
        return ok(http.POST('/api/v1/communities/{slug}/mail-submissions/{id}/publish-resource', { ...params, body }));
      }
      return ok(http.POST('/api/v1/communities/{slug}/mail-submissions/{id}/decline', { ...params, body }));
    },
    // The queue, and the forum or library the submission went to.
    onSuccess: () =>
      invalidate(['/communities/*/mail-submissions', slug], ['/communities/*/threads', slug], categoriesKey(slug), [
        '/communities/*/resources',
        slug,
      ]),
  });
}

const TABS = [
  { status: 'pending', label: 'Waiting for review' },
  { status: 'held', label: 'Held (not from a member, or not addressed here)' },
  { status: 'published', label: 'Published' },
  { status: 'declined', label: 'Declined' },
] as const;

const HOLD_TEXT = {
  not_a_member: 'The sender is not a member (or wrote from an address not registered with CoP Hub).',
  authentication_failed: 'The message failed its DMARC check, so it may not really be from this member.',
  not_addressed_here:
    'The message was not addressed to this community (its To and Cc, as the sender signed them, do not include it): someone else may have re-sent it here.',
};

const kb = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** One submission with the co-chair's three choices: a thread, a resource, or decline with a note. */
function Review({
  slug,
  submission,
  onDone,
}: {
  slug: string;
  submission: Submission;
  onDone: (message: string) => void;
}) {
  const categories = useAsync(categoriesKey(slug), () => fetchCategories(slug));
  const decide = useDecision(slug, submission.id);
  const [title, setTitle] = useState(submission.subject);
  const [categoryId, setCategoryId] = useState('');
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const held = submission.status === 'held';

  async function act(decision: Decision, message: string) {
    setProblem(null);
    setBusy(true);
    try {
      await decide.mutateAsync(decision);
      onDone(message);
    } catch (error) {
      setProblem(error instanceof ApiError ? error : new Error('failed'));
    } finally {
      setBusy(false);
    }
  }

  const id = (name: string) => `${name}-${submission.id}`;
  return (
    <div className="nhsuk-card">
      <div className="nhsuk-card__content">
        <h2 className="nhsuk-card__heading nhsuk-heading-m">{submission.subject || '(no subject)'}</h2>
        <SummaryList
          rows={[
            ['From', `${submission.sender.displayName ?? 'Unknown sender'} <${submission.sender.address}>`],
            ['Sent to', submission.address === 'resources' ? 'the resources address' : 'the share address'],
            ['To', submission.to.join(', ') || '(none)'],
            ['Cc', submission.cc.join(', ') || '(none)'],
            ['Received', new Date(submission.receivedAt).toLocaleString('en-GB', { timeZone: 'Europe/London' })],
            [
              'Sender checks',
              <>
                DMARC{' '}
                <Tag colour={submission.authentication.dmarc === 'pass' ? 'green' : 'red'}>
                  {submission.authentication.dmarc}
                </Tag>{' '}
                SPF {submission.authentication.spf}
              </>,
            ],
            [
              'Attachments',
              submission.attachments.length
                ? submission.attachments.map((a) => `${a.fileName} (${kb(a.sizeBytes)})`).join(', ')
                : 'None',
            ],
          ]}
        />
        {held && submission.holdReason && <p className="nhsuk-body-s">{HOLD_TEXT[submission.holdReason]}</p>}
        <h3 className="nhsuk-heading-s">Message</h3>
        <pre className="nhsuk-body-s" style={{ whiteSpace: 'pre-wrap' }}>
          {submission.bodyText || '(no text)'}
        </pre>
        {problem ? <ErrorPanel error={problem} /> : null}
        {submission.status === 'pending' && (
          <>
            <TextInput id={id('title')} label="Title" value={title} onValue={setTitle} />
            <Async state={categories} what="Loading categories">
              {(list) => (
                <Select
                  id={id('category')}
                  label="Forum category (to publish as a thread)"
                  options={Object.fromEntries(list.map((c) => [c.id, c.name]))}
                  placeholder="Choose a category"
                  value={categoryId}
                  onValue={setCategoryId}
                />
              )}
            </Async>
            <Textarea
              id={id('note')}
              label="Note to the sender (optional; required to decline)"
              value={note}
              rows={3}
              onValue={setNote}
            />
            <div className="cophub-actions">
              {(
                [
                  {
                    label: 'Publish as a thread',
                    decision: { path: 'publish-thread', body: { categoryId, title, ...(note ? { note } : {}) } },
                    done: `"${title}" is published as a thread.`,
                    disabled: !categoryId,
                  },
                  {
                    label: 'Publish as a resource',
                    decision: { path: 'publish-resource', body: { title, ...(note ? { note } : {}) } },
                    done: `"${title}" is in the resource library.`,
                    disabled: !submission.attachments.length,
                    variant: 'secondary' as const,
                  },
                  {
                    label: 'Decline',
                    decision: { path: 'decline', body: { note } },
                    done: `"${submission.subject}" was declined.`,
                    disabled: !note.trim(),
                    variant: 'warning' as const,
                  },
                ] satisfies Array<{ decision: Decision } & Record<string, unknown>>
              ).map((choice) => (
                <Button
                  key={choice.decision.path}
                  type="button"
                  variant={choice.variant}
                  busy={busy}
                  disabled={choice.disabled}
                  onClick={() => void act(choice.decision, choice.done)}
                >
                  {choice.label}
                </Button>
              ))}
            </div>
          </>
        )}
        {held && (
          <Button
            type="button"
            variant="secondary"
            busy={busy}
            onClick={() => void act({ path: 'decline', body: { note: 'Dismissed' } }, 'The message was dismissed.')}
          >
            Dismiss
          </Button>
        )}
        {submission.status === 'published' && (
          <p>
            Published as{' '}
            {submission.threadId ? (
              <Link to={`/c/${slug}/t/${submission.threadId}`}>a forum thread</Link>
            ) : (
              <Link to={`/resources/${submission.resourceId}`}>a resource</Link>
            )}
            .
          </p>
        )}
        {submission.status === 'declined' && submission.decisionNote && <p>Declined: {submission.decisionNote}</p>}
      </div>
    </div>
  );
}

/** The co-chairs' queue of what members shared by email. */
export function SubmissionsPage() {
  const { slug, standing } = useCommunity();
  const [params] = useSearchParams();
  const status = params.get('status') ?? 'pending';
  const submissions = useAsync(
    ['/communities/*/mail-submissions', slug, status],
    () =>
      ok(
        http.GET('/api/v1/communities/{slug}/mail-submissions', {
          params: { path: { slug }, query: { status: status as Submission['status'], limit: 50 } },
        }),
      ) as Promise<{ items: Submission[] }>,
  );
  const settings = useAsync(['/communities/*/mail-settings', slug], () =>
    ok(http.GET('/api/v1/communities/{slug}/mail-settings', { params: { path: { slug } } })),
  );
  const [notice, setNotice] = useState('');
  const communityName = standing.data?.community.name ?? 'Community';

  return (
    <>
      <Breadcrumbs
        items={[
          { to: '/communities', label: 'Communities' },
          { to: `/c/${slug}`, label: communityName },
        ]}
      />
      <Async state={standing} what="Loading community">
        {(s) =>
          !isCoChair(s) ? (
            <p>Only co-chairs review what members share by email.</p>
          ) : (
            <>
              <PageHeading caption={s.community.name}>Shared by email</PageHeading>
              <Async state={settings} what="Loading mail settings">
                {(m) =>
                  m.addresses ? (
                    <p>
                      Members share by writing to <strong>{m.addresses.share}</strong> or{' '}
                      <strong>{m.addresses.resources}</strong>
                      {m.enabled ? '.' : ' (switched off for this community).'}
                    </p>
                  ) : (
                    <p>Inbound mail is not set up on this server.</p>
                  )
                }
              </Async>
              <nav aria-label="Submission lists" className="nhsuk-u-margin-bottom-5">
                <p className="cophub-actions">
                  {TABS.map((tab) => (
                    <Link
                      key={tab.status}
                      to={{ search: `?status=${tab.status}` }}
                      aria-current={tab.status === status ? 'page' : undefined}
                    >
                      {tab.label}
                    </Link>
                  ))}
                </p>
              </nav>
              <Notice>{notice}</Notice>
              <Async state={submissions} what="Loading submissions">
                {(page) =>
                  page.items.length === 0 ? (
                    <p>Nothing here.</p>
                  ) : (
                    <>
                      {page.items.map((item) => (
                        <Review key={item.id} slug={slug} submission={item} onDone={setNotice} />
                      ))}
                    </>
                  )
                }
              </Async>
            </>
          )
        }
      </Async>
    </>
  );
}
