import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@cophub/audit';
import { APP_CONFIG, AppConfig, Clock, decodeCursor, Page, queryRows, toPage } from '@cophub/core';
import { MailOutboxService, StagedMail, UnsubscribeTarget } from '@cophub/mail';
import { DataSource, EntityManager } from 'typeorm';
import { Community } from '../entities/community.entity';
import { CareerStage, CommunityRole, MembershipStatus, Profession, Region } from '../entities/enums';
import { Membership } from '../entities/membership.entity';
import { User } from '../entities/user.entity';
import { IdentityError, IdentityErrorCode } from '../errors/identity.error';
import { IdentityChanges } from './identity-changes';
import { normaliseEmail } from './auth.service';
import { CommunityContext, hasRole } from './community-access.service';

export enum MembershipDecision {
  Approve = 'approve',
  Reject = 'reject',
  Suspend = 'suspend',
  Reinstate = 'reinstate',
}

/** Which statuses each decision may start from, and where it leads. */
const TRANSITIONS: Record<MembershipDecision, { from: MembershipStatus[]; to: MembershipStatus; action: string }> = {
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
function membershipMail(userId: string): UnsubscribeTarget {
  return { userId, scope: 'membership' };
}

@Injectable()
export class MembershipService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly mail: MailOutboxService,
    private readonly clock: Clock,
    private readonly changes: IdentityChanges,
  ) {}

  private communityUrl(community: Community, path = ''): string {
    return `${this.config.publicUrl}/c/${community.slug}${path}`;
  }

  /** A verified user asks to join; approved at once when their email domain is on the community's list. */
  async requestToJoin(userId: string, slug: string): Promise<Membership> {
    const { membership, mailIds } = await this.dataSource.transaction(async (manager) => {
      const user = await manager.findOneByOrFail(User, { id: userId });
      if (!user.emailVerifiedAt) {
        throw new IdentityError(
          IdentityErrorCode.EmailNotVerified,
          'Confirm your email address before joining a community',
        );
      }
      const community = await manager.findOneBy(Community, { slug });
      if (!community) throw new IdentityError(IdentityErrorCode.CommunityNotFound, 'Community not found');
      const auto = emailMatchesDomains(user.email, community.autoApproveDomains);
      const status = auto ? MembershipStatus.Approved : MembershipStatus.Pending;
      const now = this.clock.now();
      // Insert, or re-open a rejected request; any other existing row is left alone and explained below.
      const rows: Array<{ id: string }> = await manager.query(
        `INSERT INTO memberships (community_id, user_id, status, role, decided_at)
         VALUES ($1, $2, $3, 'member', $4)
         ON CONFLICT (community_id, user_id) DO UPDATE
            SET status = EXCLUDED.status, decided_at = EXCLUDED.decided_at, decided_by = NULL, updated_at = now()
          WHERE memberships.status = 'rejected'
        RETURNING id`,
        [community.id, user.id, status, auto ? now : null],
      );
      if (!rows.length) {
        const existing = await manager.findOneByOrFail(Membership, { communityId: community.id, userId: user.id });
        if (existing.status === MembershipStatus.Suspended) {
          throw new IdentityError(
            IdentityErrorCode.MembershipSuspended,
            `Your membership of ${community.name} is suspended`,
          );
        }
        throw new IdentityError(
          IdentityErrorCode.AlreadyMember,
          existing.status === MembershipStatus.Pending
            ? `You have already asked to join ${community.name}`
            : `You are already a member of ${community.name}`,
        );
      }
      await this.audit.record(manager, {
        communityId: community.id,
        actorId: user.id,
        action: auto ? 'membership.auto_approved' : 'membership.requested',
        targetType: 'user',
        targetId: user.id,
      });
      const mails: StagedMail[] = [];
      if (auto) {
        mails.push({
          to: user.email,
          template: 'membership.approved',
          params: { displayName: user.displayName, communityName: community.name, url: this.communityUrl(community) },
          unsubscribe: membershipMail(user.id),
        });
      } else {
        for (const coChair of await this.coChairs(manager, community.id)) {
          mails.push({
            to: coChair.email,
            template: 'membership.requested',
            params: {
              coChairName: coChair.displayName,
              applicantName: user.displayName,
              communityName: community.name,
              url: this.communityUrl(community, '/members?status=pending'),
            },
            unsubscribe: membershipMail(coChair.id),
          });
        }
      }
      return {
        membership: await manager.findOneByOrFail(Membership, { id: rows[0].id }),
        mailIds: await this.mail.stage(manager, mails),
      };
    });
    await this.changes.announce({ kind: 'membership', userId, communityId: membership.communityId });
    await this.mail.dispatch(mailIds);
    return membership;
  }

  private coChairs(
    manager: EntityManager,
    communityId: string,
  ): Promise<Array<Pick<User, 'id' | 'email' | 'displayName'>>> {
    return manager.query(
      `SELECT u.id, u.email, u.display_name AS "displayName"
         FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.community_id = $1 AND m.status = 'approved' AND m.role = 'co_chair'`,
      [communityId],
    );
  }

  /**
   * Locks the community's co-chair rows and fails if the change would leave none. Two co-chairs
   * demoting each other at the same moment are serialised by the lock, so one of them is refused.
   */
  private async assertKeepsACoChair(manager: EntityManager, communityId: string, losingUserId: string): Promise<void> {
    const rows: Array<{ user_id: string }> = await manager.query(
      `SELECT user_id FROM memberships
        WHERE community_id = $1 AND role = 'co_chair' AND status = 'approved'
        ORDER BY id FOR UPDATE`,
      [communityId],
    );
    if (rows.some((r) => r.user_id === losingUserId) && rows.length <= 1) {
      throw new IdentityError(
        IdentityErrorCode.LastCoChair,
        'A community must keep at least one co-chair; appoint another co-chair first',
      );
    }
  }

  async leave(userId: string, slug: string): Promise<void> {
    const communityId = await this.dataSource.transaction(async (manager) => {
      const community = await manager.findOneBy(Community, { slug });
      if (!community) throw new IdentityError(IdentityErrorCode.CommunityNotFound, 'Community not found');
      const membership = await manager.findOneBy(Membership, { communityId: community.id, userId });
      if (!membership || membership.status === MembershipStatus.Rejected) {
        throw new IdentityError(IdentityErrorCode.MembershipNotFound, `You are not a member of ${community.name}`);
      }
      if (membership.status === MembershipStatus.Suspended) {
        throw new IdentityError(
          IdentityErrorCode.MembershipSuspended,
          'A suspended membership cannot be withdrawn; contact the co-chairs',
        );
      }
      await this.assertKeepsACoChair(manager, community.id, userId);
      await manager.delete(Membership, { id: membership.id });
      await this.audit.record(manager, {
        communityId: community.id,
        actorId: userId,
        action: membership.status === MembershipStatus.Pending ? 'membership.withdrawn' : 'membership.left',
        targetType: 'user',
        targetId: userId,
      });
      return community.id;
    });
    await this.changes.announce({ kind: 'membership', userId, communityId });
  }

  async list(
    context: CommunityContext,
    filter: { status?: MembershipStatus; role?: CommunityRole },
    limit: number,
    cursor?: string,
  ): Promise<Page<MemberView>> {
    const manages = hasRole(context, CommunityRole.CoChair);
    const status = filter.status ?? MembershipStatus.Approved;
    if (status !== MembershipStatus.Approved && !manages) {
      throw new IdentityError(
        IdentityErrorCode.RoleRequired,
        'Only a co-chair can see membership requests and suspensions',
      );
    }
    const params: unknown[] = [context.community.id, status, limit + 1];
    let where = 'm.community_id = $1 AND m.status = $2';
    if (filter.role) {
      params.push(filter.role);
      where += ` AND m.role = $${params.length}`;
    }
    if (cursor) {
      const [createdAt, id] = decodeCursor(cursor, ['date', 'uuid']);
      params.push(createdAt, id);
      where += ` AND (m.created_at, m.id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
    }
    const rows: Array<MemberView & { id: string; email: string }> = await this.dataSource.query(
      `SELECT m.id, m.user_id AS "userId", u.display_name AS "displayName", u.handle, u.email, u.profession,
              u.career_stage AS "careerStage", u.region, u.organisation, m.status, m.role,
              m.created_at AS "requestedAt", m.decided_at AS "decidedAt"
         FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE ${where}
        ORDER BY m.created_at, m.id
        LIMIT $3`,
      params,
    );
    const page = toPage(rows, limit, (row) => [new Date(row.requestedAt).toISOString(), row.id]);
    return {
      nextCursor: page.nextCursor,
      items: page.items.map(({ id: _id, email, ...view }) => (manages ? { ...view, email } : view)),
    };
  }

  /** Approve, reject, suspend or reinstate, settled by a conditional update on the current status. */
  async decide(context: CommunityContext, targetUserId: string, decision: MembershipDecision): Promise<Membership> {
    const transition = TRANSITIONS[decision];
    const { membership, mailIds } = await this.dataSource.transaction(async (manager) => {
      if (decision === MembershipDecision.Suspend) {
        if (targetUserId === context.userId) {
          throw new IdentityError(IdentityErrorCode.InvalidTransition, 'You cannot suspend yourself');
        }
        await this.assertKeepsACoChair(manager, context.community.id, targetUserId);
      }
      const now = this.clock.now();
      const rows = await queryRows<{ id: string }>(
        manager,
        `UPDATE memberships SET status = $3, decided_by = $4, decided_at = $5, updated_at = now()
          WHERE community_id = $1 AND user_id = $2 AND status = ANY($6)
        RETURNING id, status`,
        [context.community.id, targetUserId, transition.to, context.userId, now, transition.from],
      );
      if (!rows.length) {
        const existing = await manager.findOneBy(Membership, {
          communityId: context.community.id,
          userId: targetUserId,
        });
        if (!existing) {
          throw new IdentityError(
            IdentityErrorCode.MembershipNotFound,
            'That person has not asked to join this community',
          );
        }
        throw new IdentityError(
          IdentityErrorCode.InvalidTransition,
          `Cannot ${decision} a membership that is ${existing.status}`,
        );
      }
      await this.audit.record(manager, {
        communityId: context.community.id,
        actorId: context.userId,
        action: transition.action,
        targetType: 'user',
        targetId: targetUserId,
      });
      const user = await manager.findOneByOrFail(User, { id: targetUserId });
      const mails: StagedMail[] = [];
      if (decision === MembershipDecision.Approve) {
        mails.push({
          to: user.email,
          template: 'membership.approved',
          params: {
            displayName: user.displayName,
            communityName: context.community.name,
            url: this.communityUrl(context.community),
          },
          unsubscribe: membershipMail(user.id),
        });
      } else if (decision === MembershipDecision.Reject) {
        mails.push({
          to: user.email,
          template: 'membership.rejected',
          params: {
            displayName: user.displayName,
            communityName: context.community.name,
            communitiesUrl: `${this.config.publicUrl}/communities`,
          },
          unsubscribe: membershipMail(user.id),
        });
      }
      return {
        membership: await manager.findOneByOrFail(Membership, { id: rows[0].id }),
        mailIds: await this.mail.stage(manager, mails),
      };
    });
    await this.changes.announce({ kind: 'membership', userId: targetUserId, communityId: context.community.id });
    await this.mail.dispatch(mailIds);
    return membership;
  }

  async changeRole(context: CommunityContext, targetUserId: string, role: CommunityRole): Promise<Membership> {
    const membership = await this.dataSource.transaction(async (manager) => {
      if (role !== CommunityRole.CoChair) await this.assertKeepsACoChair(manager, context.community.id, targetUserId);
      const existing = await manager.findOneBy(Membership, { communityId: context.community.id, userId: targetUserId });
      if (!existing)
        throw new IdentityError(IdentityErrorCode.MembershipNotFound, 'That person is not a member of this community');
      if (existing.status !== MembershipStatus.Approved) {
        throw new IdentityError(
          IdentityErrorCode.InvalidTransition,
          `Only an approved member can be given a role (this membership is ${existing.status})`,
        );
      }
      if (existing.role === role) return existing;
      await manager.update(Membership, { id: existing.id }, { role });
      await this.audit.record(manager, {
        communityId: context.community.id,
        actorId: context.userId,
        action: 'membership.role_changed',
        targetType: 'user',
        targetId: targetUserId,
        data: { from: existing.role, to: role },
      });
      return manager.findOneByOrFail(Membership, { id: existing.id });
    });
    await this.changes.announce({ kind: 'membership', userId: targetUserId, communityId: context.community.id });
    return membership;
  }

  /** A co-chair or admin adds an existing, verified account directly (used to appoint a first co-chair). */
  async add(context: CommunityContext, emailInput: string, role: CommunityRole): Promise<Membership> {
    const email = normaliseEmail(emailInput);
    const { membership, mailIds } = await this.dataSource.transaction(async (manager) => {
      const user = await manager.findOneBy(User, { email });
      if (!user) throw new IdentityError(IdentityErrorCode.UserNotFound, 'No account with that email address');
      if (!user.emailVerifiedAt) {
        throw new IdentityError(
          IdentityErrorCode.EmailNotVerified,
          'That person has not confirmed their email address yet',
        );
      }
      const now = this.clock.now();
      const rows: Array<{ id: string }> = await manager.query(
        `INSERT INTO memberships (community_id, user_id, status, role, decided_by, decided_at)
         VALUES ($1, $2, 'approved', $3, $4, $5)
         ON CONFLICT (community_id, user_id) DO UPDATE
            SET status = 'approved', role = EXCLUDED.role, decided_by = EXCLUDED.decided_by,
                decided_at = EXCLUDED.decided_at, updated_at = now()
          WHERE memberships.status IN ('pending', 'rejected')
        RETURNING id`,
        [context.community.id, user.id, role, context.userId, now],
      );
      if (!rows.length) {
        throw new IdentityError(IdentityErrorCode.AlreadyMember, 'That person is already a member (or suspended) here');
      }
      await this.audit.record(manager, {
        communityId: context.community.id,
        actorId: context.userId,
        action: 'membership.added',
        targetType: 'user',
        targetId: user.id,
        data: { role },
      });
      const mailIds = await this.mail.stage(manager, {
        to: user.email,
        template: 'membership.approved',
        params: {
          displayName: user.displayName,
          communityName: context.community.name,
          url: this.communityUrl(context.community),
        },
        unsubscribe: membershipMail(user.id),
      });
      return { membership: await manager.findOneByOrFail(Membership, { id: rows[0].id }), mailIds };
    });
    await this.changes.announce({ kind: 'membership', userId: membership.userId, communityId: membership.communityId });
    await this.mail.dispatch(mailIds);
    return membership;
  }

  async membershipsOf(
    userId: string,
  ): Promise<Array<{ communityId: string; slug: string; name: string; status: MembershipStatus; role: CommunityRole }>> {
    return this.dataSource.query(
      `SELECT c.id AS "communityId", c.slug, c.name, m.status, m.role
         FROM memberships m JOIN communities c ON c.id = m.community_id
        WHERE m.user_id = $1 ORDER BY c.name`,
      [userId],
    );
  }
}
