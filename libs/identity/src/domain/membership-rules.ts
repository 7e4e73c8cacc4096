import type { UnsubscribeTarget } from '@cophub/mail';
import { CareerStage, CommunityRole, MembershipStatus, Profession, Region } from '../db/enums';

export enum MembershipDecision {
  Approve = 'approve',
  Reject = 'reject',
  Suspend = 'suspend',
  Reinstate = 'reinstate',
}

/** Which statuses each decision may start from, and where it leads. */
export const TRANSITIONS: Record<
  MembershipDecision,
  { from: MembershipStatus[]; to: MembershipStatus; action: string }
> = {
  [MembershipDecision.Approve]: {
    from: [MembershipStatus.Pending, MembershipStatus.Rejected],
    to: MembershipStatus.Approved,
    action: 'membership.approved',
  },
  [MembershipDecision.Reject]: {
    from: [MembershipStatus.Pending],
    to: MembershipStatus.Rejected,
    action: 'membership.rejected',
  },
  [MembershipDecision.Suspend]: {
    from: [MembershipStatus.Approved],
    to: MembershipStatus.Suspended,
    action: 'membership.suspended',
  },
  [MembershipDecision.Reinstate]: {
    from: [MembershipStatus.Suspended],
    to: MembershipStatus.Approved,
    action: 'membership.reinstated',
  },
};

export interface MemberView {
  userId: string;
  displayName: string;
  handle: string;
  email?: string;
  profession: Profession;
  careerStage: CareerStage;
  region: Region;
  organisation: string;
  status: MembershipStatus;
  role: CommunityRole;
  requestedAt: Date;
  decidedAt: Date | null;
}

/** True when the address is at the domain or one of its subdomains (`nhs.net`, `x.nhs.uk` for `nhs.uk`). */
export function emailMatchesDomains(email: string, domains: string[]): boolean {
  const domain = email.split('@')[1]?.toLowerCase() ?? '';
  return domains.some((d) => domain === d || domain.endsWith(`.${d}`));
}

/**
 * Membership emails are notifications of the `membership` kind (the notifications module's name for
 * it; identity sits below that module so it names the kind here): they carry its unsubscribe link, and
 * the outbox leaves them out for members who turned membership emails off.
 */
export function membershipMail(userId: string): UnsubscribeTarget {
  return { userId, scope: 'membership' };
}
