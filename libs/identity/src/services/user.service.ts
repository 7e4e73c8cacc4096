import { Injectable } from '@nestjs/common';
import { isUniqueViolation } from '@cophub/core';
import { UserRepository } from '../db/user.repository';
import { CareerStage, Profession, Region } from '../db/enums';
import { User } from '../db/user.entity';
import { IdentityError, IdentityErrorCode } from '../errors/identity.error';
import { assertDisplayName } from '../domain/display-name';
import { assertHandle } from '../domain/handle';
import { IdentityChanges } from './identity-changes';

export interface ProfileChanges {
  displayName?: string;
  handle?: string;
  profession?: Profession;
  careerStage?: CareerStage;
  region?: Region;
  organisation?: string;
}

const USER_COLUMNS: Record<keyof ProfileChanges, string> = {
  displayName: 'display_name',
  handle: 'handle',
  profession: 'profession',
  careerStage: 'career_stage',
  region: 'region',
  organisation: 'organisation',
};

/** The user profile other modules read (profession, stage, region) and snapshot where history matters. */
@Injectable()
export class UserService {
  constructor(
    private readonly users: UserRepository,
    private readonly changes: IdentityChanges,
  ) {}

  /** Read on most authenticated requests (`GET /me` among them). */
  async get(userId: string): Promise<User> {
    const user = await this.users.byId(userId);
    if (!user) throw new IdentityError(IdentityErrorCode.UserNotFound, 'Account not found');
    return user;
  }

  async getMany(userIds: string[]): Promise<User[]> {
    if (!userIds.length) return [];
    return this.users.byIds(userIds);
  }

  async updateProfile(userId: string, changes: ProfileChanges): Promise<User> {
    if (changes.displayName !== undefined) assertDisplayName(changes.displayName);
    if (changes.handle !== undefined) assertHandle(changes.handle);
    const patch = Object.fromEntries(
      Object.entries(changes)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v]),
    );
    // Never on a closed account: its request may have passed the session check just before it closed.
    const count = Object.keys(patch).length
      ? await this.users
          .updateOpen(
            userId,
            Object.entries(patch).map(([key, value]) => [USER_COLUMNS[key as keyof ProfileChanges], value]),
          )
          .catch((error: unknown) => {
            // Two people asking for the same handle at once: the unique index lets one have it.
            if (isUniqueViolation(error, 'ux_users_handle')) {
              throw new IdentityError(
                IdentityErrorCode.HandleTaken,
                'That handle is taken (handles are unique ignoring case, and 0/o, 1/l/i and _/- count as the same)',
              );
            }
            throw error;
          })
      : (await this.get(userId)).closedAt
        ? 0
        : 1;
    if (!count) throw new IdentityError(IdentityErrorCode.AccountClosed, 'This account has been closed');
    if (Object.keys(patch).length) await this.changes.announce({ kind: 'profile', userId });
    return this.get(userId);
  }

  /** A free handle made from the member's display name (their own current handle counts as free). */
  async suggestHandle(userId: string): Promise<string> {
    const handle = await this.users.suggestHandle(userId);
    if (handle === null) throw new IdentityError(IdentityErrorCode.UserNotFound, 'Account not found');
    return handle;
  }

  /**
   * What a member may see of another on a profile card: their name, handle, profession, career stage,
   * region (as the member list shows them), and the communities both are approved members of. Someone
   * who shares no community with the viewer is "not found", whether or not the handle exists.
   */
  async card(viewerId: string, handle: string): Promise<ProfileCard> {
    const row = await this.users.card(viewerId, handle);
    if (!row || (!row.common.length && row.id !== viewerId)) {
      throw new IdentityError(
        IdentityErrorCode.ProfileNotFound,
        'No member with that handle shares a community with you',
      );
    }
    return {
      userId: row.id,
      handle: row.handle,
      displayName: row.displayName,
      profession: row.profession,
      careerStage: row.careerStage,
      region: row.region,
      communitiesInCommon: row.common,
    };
  }
}

export interface ProfileCard {
  userId: string;
  handle: string;
  displayName: string;
  profession: Profession;
  careerStage: CareerStage;
  region: Region;
  communitiesInCommon: Array<{ slug: string; name: string }>;
}
