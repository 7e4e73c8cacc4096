import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import { http, ok } from '../../api/http';
import { useInvalidate } from '../../api/query';
import { Button, ErrorSummary, errorFor, Select, type FieldError } from '../../components/forms';
import { formatDate } from '../../components/labels';
import { Async, Breadcrumbs, ErrorPanel, Notice, PageHeading, useAsync } from '../../components/ui';
import { useCommunity } from '../communities/community';

interface Contributor {
  userId: string;
  displayName: string;
  grantedAt: string;
}

/**
 * `/c/:slug/resources/contributors`: co-chairs choose which members may add and change resources
 * (co-chairs always may).
 */
export function ContributorsPage() {
  const { slug, standing } = useCommunity();
  const contributors = useAsync(['/communities/*/resource-contributors', slug], () =>
    ok(http.GET('/api/v1/communities/{slug}/resource-contributors', { params: { path: { slug } } })),
  );
  const members = useAsync(['/communities/*/members', slug, 'approved'], () =>
    ok(
      http.GET('/api/v1/communities/{slug}/members', {
        params: { path: { slug }, query: { status: 'approved', limit: 100 } },
      }),
    ),
  );
  const invalidate = useInvalidate();
  const path = (userId: string) => ({ params: { path: { slug, userId } } });
  const refresh = () => invalidate(['/communities/*/resource-contributors', slug]);
  const grant = useMutation({
    mutationFn: (userId: string) =>
      ok(http.PUT('/api/v1/communities/{slug}/resource-contributors/{userId}', path(userId))),
    onSuccess: refresh,
  });
  const revoke = useMutation({
    mutationFn: (userId: string) =>
      ok(http.DELETE('/api/v1/communities/{slug}/resource-contributors/{userId}', path(userId))),
    onSuccess: refresh,
  });
  const [chosen, setChosen] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState('');
  const [problem, setProblem] = useState<unknown>(null);

  const current = new Set(contributors.data?.map((c) => c.userId) ?? []);
  const candidates: Record<string, string> = {};
  for (const m of members.data?.items ?? []) {
    if (m.role !== 'co_chair' && !current.has(m.userId)) candidates[m.userId] = m.displayName;
  }

  async function add(event: FormEvent) {
    event.preventDefault();
    if (!chosen) {
      setErrors([{ field: 'contributor', message: 'Choose a member to make a contributor' }]);
      return;
    }
    setErrors([]);
    setProblem(null);
    try {
      await grant.mutateAsync(chosen);
      setNotice(`${candidates[chosen] ?? 'The member'} can now add and change resources.`);
      setChosen('');
    } catch (error) {
      setErrors([
        { field: 'contributor', message: error instanceof ApiError ? error.message : 'Something went wrong' },
      ]);
    }
  }

  async function remove(contributor: Contributor) {
    setProblem(null);
    try {
      await revoke.mutateAsync(contributor.userId);
      setNotice(`${contributor.displayName} can no longer add or change resources.`);
    } catch (error) {
      setProblem(error);
    }
  }

  return (
    <>
      <Breadcrumbs
        items={[
          { to: `/c/${slug}`, label: standing.data?.community.name ?? 'Community' },
          { to: `/c/${slug}/resources`, label: 'Resources' },
        ]}
      />
      <PageHeading caption="Resources">Contributors</PageHeading>
      <p>
        Contributors can add resources, change their details, upload new versions and archive them. Co-chairs always
        can.
      </p>
      <Notice>{notice}</Notice>
      {problem ? <ErrorPanel error={problem} /> : null}
      <Async state={contributors} what="Loading contributors">
        {(items) =>
          items.length === 0 ? (
            <p>No members have been made contributors yet.</p>
          ) : (
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Current contributors</caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th className="nhsuk-table__header" scope="col">
                    Member
                  </th>
                  <th className="nhsuk-table__header" scope="col">
                    Contributor since
                  </th>
                  <th className="nhsuk-table__header" scope="col">
                    <span className="nhsuk-u-visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {items.map((c) => (
                  <tr className="nhsuk-table__row" key={c.userId}>
                    <td className="nhsuk-table__cell">{c.displayName}</td>
                    <td className="nhsuk-table__cell">{formatDate(c.grantedAt)}</td>
                    <td className="nhsuk-table__cell">
                      <button type="button" className="cophub-link-button" onClick={() => void remove(c)}>
                        Remove<span className="nhsuk-u-visually-hidden"> {c.displayName} as a contributor</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Async>
      <form onSubmit={add} noValidate className="nhsuk-u-margin-top-6">
        <h2 className="nhsuk-heading-m">Add a contributor</h2>
        <ErrorSummary errors={errors} />
        <Select
          id="contributor"
          label="Member"
          placeholder="Choose a member"
          options={candidates}
          value={chosen}
          error={errorFor(errors, 'contributor')}
          onValue={setChosen}
        />
        <Button variant="secondary">Add contributor</Button>
      </form>
    </>
  );
}
