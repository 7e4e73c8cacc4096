import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '@cophub/audit';
import { APP_CONFIG, AppConfig, Clock, decodeCursor, Page, SqlPort, toPage } from '@cophub/core';
import { MailOutboxService, StagedMail } from '@cophub/mail';
import { EntityManager } from 'typeorm';
import { MembershipRepository } from '../db/membership.repository';
import {
  emailMatchesDomains,
  MemberView,
  MembershipDecision,
  membershipMail,
  TRANSITIONS,
} from '../domain/membership-rules';
import { Community } from '../db/community.entity';
import { CommunityRole, MembershipStatus } from '../db/enums';
import { Membership } from '../db/membership.entity';
import { User } from '../db/user.entity';
import { IdentityError, IdentityErrorCode } from '../errors/identity.error';
import { IdentityChanges } from './identity-changes';
import { normaliseEmail } from './auth.service';
import { CommunityContext, hasRole } from './community-access.service';

export { emailMatchesDomains, MembershipDecision } from '../domain/membership-rules';
export type { MemberView } from '../domain/membership-rules';

@Injectable()
export class MembershipService {
  constructor(
    private readonly sql: SqlPort,
    private readonly memberships: MembershipRepository,
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
    const { membership, mailIds } = await this.sql.transaction(async (_tx, manager) => {
      const user = await this.memberships.user(manager, userId);
      if (!user.emailVerifiedAt) {
        throw new IdentityError(
          IdentityErrorCode.EmailNotVerified,
          'Confirm your email address before joining a community',
        );
      }
      const community = await this.memberships.communityBySlug(manager, slug);
      if (!community) throw new IdentityError(IdentityErrorCode.CommunityNotFound, 'Community not found');
      const auto = emailMatchesDomains(user.email, community.autoApproveDomains);
      const status = auto ? MembershipStatus.Approved : MembershipStatus.Pending;
      const now = this.clock.now();
      // Insert, or re-open a rejected request; any other existing row is left alone and explained below.
      const id = await this.memberships.request(manager, community.id, user.id, status, auto ? now : null);
      if (!id) {
        const existing = (await this.memberships.find(manager, community.id, user.id))!;
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
        membership: await this.memberships.byId(manager, id),
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
    return this.memberships.coChairs(manager, communityId);
  }

  /**
   * Locks the community's co-chair rows and fails if the change would leave none. Two co-chairs
   * demoting each other at the same moment are serialised by the lock, so one of them is refused.
   */
  private async assertKeepsACoChair(manager: EntityManager, communityId: string, losingUserId: string): Promise<void> {
    const coChairs = await this.memberships.lockCoChairs(manager, communityId);
    if (coChairs.includes(losingUserId) && coChairs.length <= 1) {
      throw new IdentityError(
        IdentityErrorCode.LastCoChair,
        'A community must keep at least one co-chair; appoint another co-chair first',
      );
    }
  }

  async leave(userId: string, slug: string): Promise<void> {
    const communityId = await this.sql.transaction(async (_tx, manager) => {
      const community = await this.memberships.communityBySlug(manager, slug);
      if (!community) throw new IdentityError(IdentityErrorCode.CommunityNotFound, 'Community not found');
      const membership = await this.memberships.find(manager, community.id, userId);
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
      await this.memberships.delete(manager, community.id, membership.id);
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
    const after = cursor ? (decodeCursor(cursor, ['date', 'uuid']) as [Date, string]) : undefined;
    const rows = await this.memberships.list(context.community.id, status, limit, { role: filter.role, after });
    const page = toPage(rows, limit, (row) => [new Date(row.requestedAt).toISOString(), row.id]);
    return {
      nextCursor: page.nextCursor,
      items: page.items.map(({ id: _id, email, ...view }) => (manages ? { ...view, email } : view)),
    };
  }

  /** Approve, reject, suspend or reinstate, settled by a conditional update on the current status. */
  async decide(context: CommunityContext, targetUserId: string, decision: MembershipDecision): Promise<Membership> {
    const transition = TRANSITIONS[decision];
    const { membership, mailIds } = await this.sql.transaction(async (_tx, manager) => {
      if (decision === MembershipDecision.Suspend) {
        if (targetUserId === context.userId) {
          throw new IdentityError(IdentityErrorCode.InvalidTransition, 'You cannot suspend yourself');
        }
        await this.assertKeepsACoChair(manager, context.community.id, targetUserId);
      }
      const now = this.clock.now();
      const id = await this.memberships.transition(manager, context.community.id, targetUserId, {
        to: transition.to,
        from: transition.from,
        by: context.userId,
        at: now,
      });
      if (!id) {
        const existing = await this.memberships.find(manager, context.community.id, targetUserId);
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
      const user = await this.memberships.user(manager, targetUserId);
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
        membership: await this.memberships.byId(manager, id),
        mailIds: await this.mail.stage(manager, mails),
      };
    });
    await this.changes.announce({ kind: 'membership', userId: targetUserId, communityId: context.community.id });
    await this.mail.dispatch(mailIds);
    return membership;
  }

  async changeRole(context: CommunityContext, targetUserId: string, role: CommunityRole): Promise<Membership> {
    const membership = await this.sql.transaction(async (_tx, manager) => {
      if (role !== CommunityRole.CoChair) await this.assertKeepsACoChair(manager, context.community.id, targetUserId);
      const existing = await this.memberships.find(manager, context.community.id, targetUserId);
      if (!existing)
        throw new IdentityError(IdentityErrorCode.MembershipNotFound, 'That person is not a member of this community');
      if (existing.status !== MembershipStatus.Approved) {
        throw new IdentityError(
          IdentityErrorCode.InvalidTransition,
          `Only an approved member can be given a role (this membership is ${existing.status})`,
        );
      }
      if (existing.role === role) return existing;
      await this.memberships.setRole(manager, context.community.id, existing.id, role);
      await this.audit.record(manager, {
        communityId: context.community.id,
        actorId: context.userId,
        action: 'membership.role_changed',
        targetType: 'user',
        targetId: targetUserId,
        data: { from: existing.role, to: role },
      });
      return this.memberships.byId(manager, existing.id);
    });
    await this.changes.announce({ kind: 'membership', userId: targetUserId, communityId: context.community.id });
    return membership;
  }

  /** A co-chair or admin adds an existing, verified account directly (used to appoint a first co-chair). */
  async add(context: CommunityContext, emailInput: string, role: CommunityRole): Promise<Membership> {
    const email = normaliseEmail(emailInput);
    const { membership, mailIds } = await this.sql.transaction(async (_tx, manager) => {
      const user = await this.memberships.userByEmail(manager, email);
      if (!user) throw new IdentityError(IdentityErrorCode.UserNotFound, 'No account with that email address');
      if (!user.emailVerifiedAt) {
        throw new IdentityError(
          IdentityErrorCode.EmailNotVerified,
          'That person has not confirmed their email address yet',
        );
      }
      const now = this.clock.now();
      const id = await this.memberships.add(manager, context.community.id, user.id, role, context.userId, now);
      if (!id) {
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
      return { membership: await this.memberships.byId(manager, id), mailIds };
    });
    await this.changes.announce({ kind: 'membership', userId: membership.userId, communityId: membership.communityId });
    await this.mail.dispatch(mailIds);
    return membership;
  }

  async membershipsOf(
    userId: string,
  ): Promise<
    Array<{ communityId: string; slug: string; name: string; status: MembershipStatus; role: CommunityRole }>
  > {
    return this.memberships.membershipsOf(userId);
  }
}
