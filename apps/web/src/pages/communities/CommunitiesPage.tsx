import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { http, ok } from '../../api/http';
import { keys, useInvalidate } from '../../api/query';
import type { CommunityListItem } from '../../api/types';
import { useAuth } from '../../auth/auth';
import { Button } from '../../components/forms';
import { REGIONS, ROLES, STATUSES } from '../../components/labels';
import { Async, Inset, Notice, PageHeading, Tag, useAsync } from '../../components/ui';

function Standing({ item }: { item: CommunityListItem }) {
  if (!item.myStatus) return null;
  if (item.myStatus === 'approved' && item.myRole) return <Tag colour="green">{ROLES[item.myRole]}</Tag>;
  return <Tag colour={item.myStatus === 'pending' ? 'yellow' : 'grey'}>{STATUSES[item.myStatus]}</Tag>;
}

export function CommunitiesPage() {
  const { me } = useAuth();
  const state = useAsync(['/communities'], () => ok(http.GET('/api/v1/communities')));
  const invalidate = useInvalidate();
  const joining = useMutation({
    mutationFn: (slug: string) => ok(http.POST('/api/v1/communities/{slug}/join', { params: { path: { slug } } })),
  });
  const [notice, setNotice] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState<string | null>(null);

  async function join(item: CommunityListItem) {
    setBusy(item.slug);
    setNotice('');
    setProblem('');
    try {
      const membership = await joining.mutateAsync(item.slug);
      setNotice(
        membership.status === 'approved'
          ? `You are now a member of ${item.name}.`
          : `Your request to join ${item.name} has been sent to its co-chairs.`,
      );
      await invalidate(['/communities'], keys.me, ['/communities/*/me', item.slug]);
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : 'Your request could not be sent. Try again.');
    } finally {
      setBusy(null);
    }
  }

  return (
    <>
      <PageHeading>Communities</PageHeading>
      <p className="nhsuk-lede-text">Each regional Community of Practice, and national networks for each role.</p>
      {me && !me.emailVerified && (
        <Inset>
          <p>Confirm your email address before asking to join. We sent you a link when you registered.</p>
        </Inset>
      )}
      <Notice>{notice}</Notice>
      {problem && (
        <div className="nhsuk-error-summary" role="alert" tabIndex={-1}>
          <h2 className="nhsuk-error-summary__title">There is a problem</h2>
          <div className="nhsuk-error-summary__body">
            <p>{problem}</p>
          </div>
        </div>
      )}
      <Async state={state} what="Loading communities">
        {(items) =>
          items.length === 0 ? (
            <p>There are no communities yet.</p>
          ) : (
            <ul className="nhsuk-list">
              {items.map((item) => (
                <li key={item.slug}>
                  <div className="nhsuk-card">
                    <div className="nhsuk-card__content">
                      <h2 className="nhsuk-card__heading nhsuk-heading-m">
                        {item.myStatus === 'approved' ? <Link to={`/c/${item.slug}`}>{item.name}</Link> : item.name}
                      </h2>
                      <p className="nhsuk-body-s">
                        {REGIONS[item.region]} · {item.memberCount} {item.memberCount === 1 ? 'member' : 'members'}{' '}
                        <Standing item={item} />
                      </p>
                      {item.description && <p className="nhsuk-card__description">{item.description}</p>}
                      {(!item.myStatus || item.myStatus === 'rejected') && (
                        <Button
                          type="button"
                          variant="secondary"
                          busy={busy === item.slug}
                          onClick={() => void join(item)}
                          aria-label={`Ask to join ${item.name}`}
                        >
                          Ask to join
                        </Button>
                      )}
                      {item.myStatus === 'approved' && (
                        <Link className="nhsuk-button" to={`/c/${item.slug}`}>
                          Open<span className="nhsuk-u-visually-hidden"> {item.name}</span>
                        </Link>
                      )}
                    </div>
                  </div>
                </li>
              ))}
            </ul>
          )
        }
      </Async>
    </>
  );
}
