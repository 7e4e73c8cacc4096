import { useState, type FormEvent } from 'react';
import { api, ApiError, seg } from '../../api/client';
import type { Member, Page } from '../../api/types';
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
    api.get<Contributor[]>(`/communities/${seg(slug)}/resource-contributors`),
  );
  const members = useAsync(['/communities/*/members', slug, 'approved'], () =>
    api.get<Page<Member>>(`/communities/${seg(slug)}/members?status=approved&limit=100`),
  );
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
      await api.put(`/communities/${seg(slug)}/resource-contributors/${chosen}`);
      setNotice(`${candidates[chosen] ?? 'The member'} can now add and change resources.`);
      setChosen('');
      await contributors.reload();
    } catch (error) {
      setErrors([
        { field: 'contributor', message: error instanceof ApiError ? error.message : 'Something went wrong' },
      ]);
    }
  }

  async function remove(contributor: Contributor) {
    setProblem(null);
    try {
      await api.delete(`/communities/${seg(slug)}/resource-contributors/${contributor.userId}`);
      setNotice(`${contributor.displayName} can no longer add or change resources.`);
      await contributors.reload();
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
