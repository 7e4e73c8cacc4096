import { Link } from 'react-router-dom';
import { useAuth } from '../auth/auth';
import { ROLES, STATUSES } from '../components/labels';
import { Inset, PageHeading, Tag } from '../components/ui';

export function HomePage() {
  const { session, me } = useAuth();
  if (!session) {
    return (
      <>
        <PageHeading title="CoP Hub">Psychological Practitioner Communities of Practice</PageHeading>
        <p className="nhsuk-lede-text">
          A place for PWPs, CYWPs, EMHPs and MHWPs to share knowledge, meet at events, find resources and have their say
          on the issues their co-chairs take to the regional Workforce Council.
        </p>
        <div className="cophub-actions">
          <Link className="nhsuk-button" to="/register">
            Create an account
          </Link>
          <Link className="nhsuk-button nhsuk-button--secondary" to="/sign-in">
            Sign in
          </Link>
        </div>
      </>
    );
  }
  const approved = me?.memberships.filter((m) => m.status === 'approved') ?? [];
  const other = me?.memberships.filter((m) => m.status !== 'approved') ?? [];
  return (
    <>
      <PageHeading title="Your communities">Hello, {session.user.displayName}</PageHeading>
      {me && !me.emailVerified && (
        <Inset>
          <p>Confirm your email address using the link we sent you before you join a community.</p>
        </Inset>
      )}
      <h2 className="nhsuk-heading-m">Your communities</h2>
      {me && approved.length === 0 && (
        <p>
          You are not a member of a community yet. <Link to="/communities">Find a community to join</Link>.
        </p>
      )}
      <ul className="nhsuk-grid-row nhsuk-card-group">
        {approved.map((m) => (
          <li className="nhsuk-grid-column-one-half nhsuk-card-group__item" key={m.slug}>
            <div className="nhsuk-card nhsuk-card--clickable">
              <div className="nhsuk-card__content">
                <h3 className="nhsuk-card__heading nhsuk-heading-m">
                  <Link className="nhsuk-card__link" to={`/c/${m.slug}`}>
                    {m.name}
                  </Link>
                </h3>
                <p className="nhsuk-card__description">Your role: {ROLES[m.role]}</p>
              </div>
            </div>
          </li>
        ))}
      </ul>
      {other.length > 0 && (
        <>
          <h2 className="nhsuk-heading-m">Requests</h2>
          <ul className="nhsuk-list">
            {other.map((m) => (
              <li key={m.slug}>
                {m.name} <Tag colour={m.status === 'pending' ? 'yellow' : 'grey'}>{STATUSES[m.status]}</Tag>
              </li>
            ))}
          </ul>
        </>
      )}
      <p>
        <Link to="/communities">Browse all communities</Link>
      </p>
    </>
  );
}
