import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { http, ok } from '../../api/http';
import { useInvalidate } from '../../api/query';
import type { CommunityRole, Member, MembershipStatus } from '../../api/types';
import { Button } from '../../components/forms';
import { PROFESSIONS, ROLES, STAGES } from '../../components/labels';
import { Async, Breadcrumbs, ErrorPanel, Notice, PageHeading, Tag, useAsync } from '../../components/ui';
import { isCoChair, useCommunity } from './community';

const TABS: Array<{ status: MembershipStatus; label: string }> = [
  { status: 'approved', label: 'Members' },
  { status: 'pending', label: 'Requests to join' },
  { status: 'suspended', label: 'Suspended' },
];

function RoleChanger({ member, onChange }: { member: Member; onChange: (role: CommunityRole) => Promise<void> }) {
  const [role, setRole] = useState<CommunityRole>(member.role);
  const id = `role-${member.userId}`;
  return (
    <div className="cophub-actions">
      <label className="nhsuk-u-visually-hidden" htmlFor={id}>
        Role for {member.displayName}
      </label>
      <select id={id} className="nhsuk-select" value={role} onChange={(e) => setRole(e.target.value as CommunityRole)}>
        {Object.entries(ROLES).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
        disabled={role === member.role}
        onClick={() => void onChange(role)}
      >
        Change role<span className="nhsuk-u-visually-hidden"> for {member.displayName}</span>
      </button>
    </div>
  );
}

export function MembersPage() {
  const { slug, standing } = useCommunity();
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') as MembershipStatus) || 'approved';
  const members = useAsync(['/communities/*/members', slug, status], () =>
    ok(http.GET('/api/v1/communities/{slug}/members', { params: { path: { slug }, query: { status, limit: 100 } } })),
  );
  const invalidate = useInvalidate();
  // Every list of the community's members (each status, and the pending requests on its home page).
  const refresh = () => invalidate(['/communities/*/members', slug]);
  const decision = useMutation({
    mutationFn: ({ userId, decision }: { userId: string; decision: 'approve' | 'reject' | 'suspend' | 'reinstate' }) =>
      ok(
        http.POST('/api/v1/communities/{slug}/members/{userId}/{decision}', {
          params: { path: { slug, userId, decision } },
        }),
      ),
    onSuccess: refresh,
  });
  const roleChange = useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: CommunityRole }) =>
      ok(
        http.PATCH('/api/v1/communities/{slug}/members/{userId}/role', {
          params: { path: { slug, userId } },
          body: { role },
        }),
      ),
    onSuccess: refresh,
  });
  const [notice, setNotice] = useState('');
  const [problem, setProblem] = useState<unknown>(null);

  async function act(action: () => Promise<unknown>, message: string) {
    setNotice('');
    setProblem(null);
    try {
      await action();
      setNotice(message);
    } catch (error) {
      setProblem(error instanceof ApiError ? error : new Error('failed'));
    }
  }

  const decide = (m: Member, verdict: 'approve' | 'reject' | 'suspend' | 'reinstate', message: string) =>
    act(() => decision.mutateAsync({ userId: m.userId, decision: verdict }), message);

  return (
    <>
      <Breadcrumbs
        items={[
          { to: '/communities', label: 'Communities' },
          { to: `/c/${slug}`, label: standing.data?.community.name ?? 'Community' },
        ]}
      />
      <Async state={standing} what="Loading community">
        {(s) => {
          const manages = isCoChair(s);
          return (
            <>
              <PageHeading caption={s.community.name}>
                {manages ? (TABS.find((t) => t.status === status)?.label ?? 'Members') : 'Members'}
              </PageHeading>
              {manages && (
                <nav aria-label="Member lists" className="nhsuk-u-margin-bottom-5">
                  <ul className="nhsuk-list cophub-actions">
                    {TABS.map((tab) => (
                      <li key={tab.status} className="nhsuk-u-margin-bottom-0">
                        <Link
                          to={`?status=${tab.status}`}
                          aria-current={tab.status === status ? 'page' : undefined}
                          onClick={(e) => {
                            e.preventDefault();
                            setParams({ status: tab.status });
                          }}
                        >
                          {tab.label}
                        </Link>
                      </li>
                    ))}
                  </ul>
                </nav>
              )}
              <Notice>{notice}</Notice>
              {problem ? <ErrorPanel error={problem} /> : null}
              <Async state={members} what="Loading members">
                {(page) =>
                  page.items.length === 0 ? (
                    <p>{status === 'pending' ? 'No one is waiting to join.' : 'No one here yet.'}</p>
                  ) : (
                    <table className="nhsuk-table">
                      <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">
                        {TABS.find((t) => t.status === status)?.label}
                      </caption>
                      <thead className="nhsuk-table__head">
                        <tr className="nhsuk-table__row">
                          <th className="nhsuk-table__header" scope="col">
                            Name
                          </th>
                          <th className="nhsuk-table__header" scope="col">
                            Profession and stage
                          </th>
                          <th className="nhsuk-table__header" scope="col">
                            Role
                          </th>
                          {manages && (
                            <th className="nhsuk-table__header" scope="col">
                              Actions
                            </th>
                          )}
                        </tr>
                      </thead>
                      <tbody className="nhsuk-table__body">
                        {page.items.map((m) => (
                          <tr className="nhsuk-table__row" key={m.userId}>
                            <td className="nhsuk-table__cell">
                              {m.displayName}
                              {m.email && (
                                <>
                                  <br />
                                  <span className="nhsuk-body-s">{m.email}</span>
                                </>
                              )}
                              {m.organisation && (
                                <>
                                  <br />
                                  <span className="nhsuk-body-s">{m.organisation}</span>
                                </>
                              )}
                            </td>
                            <td className="nhsuk-table__cell">
                              {PROFESSIONS[m.profession] ?? m.profession}, {STAGES[m.careerStage]?.toLowerCase()}
                            </td>
                            <td className="nhsuk-table__cell">
                              <Tag
                                colour={m.role === 'co_chair' ? 'blue' : m.role === 'moderator' ? 'purple' : 'white'}
                              >
                                {ROLES[m.role]}
                              </Tag>
                            </td>
                            {manages && (
                              <td className="nhsuk-table__cell">
                                {m.status === 'pending' && (
                                  <div className="cophub-actions">
                                    <Button
                                      type="button"
                                      className="nhsuk-button nhsuk-u-margin-bottom-0"
                                      onClick={() => void decide(m, 'approve', `${m.displayName} is now a member.`)}
                                    >
                                      Approve<span className="nhsuk-u-visually-hidden"> {m.displayName}</span>
                                    </Button>
                                    <Button
                                      type="button"
                                      variant="secondary"
                                      onClick={() =>
                                        void decide(m, 'reject', `${m.displayName}'s request was declined.`)
                                      }
                                    >
                                      Decline<span className="nhsuk-u-visually-hidden"> {m.displayName}</span>
                                    </Button>
                                  </div>
                                )}
                                {m.status === 'approved' && (
                                  <>
                                    <RoleChanger
                                      member={m}
                                      onChange={(role) =>
                                        act(
                                          () => roleChange.mutateAsync({ userId: m.userId, role }),
                                          `${m.displayName} is now ${ROLES[role].toLowerCase()}.`,
                                        )
                                      }
                                    />
                                    <button
                                      type="button"
                                      className="nhsuk-button nhsuk-button--warning nhsuk-u-margin-top-3 nhsuk-u-margin-bottom-0"
                                      onClick={() => void decide(m, 'suspend', `${m.displayName} is suspended.`)}
                                    >
                                      Suspend<span className="nhsuk-u-visually-hidden"> {m.displayName}</span>
                                    </button>
                                  </>
                                )}
                                {m.status === 'suspended' && (
                                  <Button
                                    type="button"
                                    variant="secondary"
                                    onClick={() => void decide(m, 'reinstate', `${m.displayName} is reinstated.`)}
                                  >
                                    Reinstate<span className="nhsuk-u-visually-hidden"> {m.displayName}</span>
                                  </Button>
                                )}
                              </td>
                            )}
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  )
                }
              </Async>
            </>
          );
        }}
      </Async>
    </>
  );
}
