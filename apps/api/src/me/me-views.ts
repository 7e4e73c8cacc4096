import { Injectable } from '@nestjs/common';
import { TtlCache } from '@cophub/core';
import { IdentityChanges, MembershipService, MeView, SessionService, toUserView, UserService } from '@cophub/identity';

/**
 * `GET /api/v1/me` is what every page of the web app asks first, and its answer changes only when the
 * person edits their profile, verifies their address, joins or leaves a community (or their role there
 * changes), or a community of theirs is renamed. Each instance keeps the answer per person and drops
 * it on the `IdentityChanges` that report those (at once here, through Redis elsewhere); entries
 * otherwise live as long as session answers (`SessionService.cacheMs`, short while Redis is away).
 */
@Injectable()
export class MeViews {
  private readonly views = new TtlCache<string, MeView>(20_000);
  /** Bumped by every change, so a load that raced a change does not store what it read before it. */
  private generation = 0;

  constructor(
    private readonly users: UserService,
    private readonly memberships: MembershipService,
    private readonly sessions: SessionService,
    changes: IdentityChanges,
  ) {
    changes.subscribe((change) => {
      this.generation += 1;
      if (change.kind === 'all' || change.kind === 'community') this.views.clear();
      else if (change.kind !== 'session') this.views.delete(change.userId);
    });
  }

  async get(userId: string): Promise<MeView> {
    const cached = this.views.get(userId);
    if (cached) return cached;
    const generation = this.generation;
    const [profile, memberships] = await Promise.all([this.users.get(userId), this.memberships.membershipsOf(userId)]);
    const view: MeView = { ...toUserView(profile), memberships };
    if (generation === this.generation) this.views.set(userId, view, this.sessions.cacheMs());
    return view;
  }
}
