import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CommonError, CommonErrorCode } from '@cophub/core';
import { CommunityRole } from '../db/enums';
import { IdentityError, IdentityErrorCode } from '../errors/identity.error';
import { AccessTokenService } from '../services/access-token.service';
import { CommunityAccessService } from '../services/community-access.service';
import { SessionService } from '../services/session.service';
import { ADMIN_ONLY, AuthenticatedRequest, COMMUNITY_ROLE, IS_PUBLIC } from './decorators';

function bearer(request: AuthenticatedRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1] : null;
}

/**
 * Global guard, first in line: every route needs a valid access token unless marked `@Public()`.
 * Then `@AdminOnly()` and `@RequireCommunityRole()` are checked, so no controller can forget them.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokenService,
    private readonly sessions: SessionService,
    private readonly access: CommunityAccessService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const targets = [context.getHandler(), context.getClass()];
    const token = bearer(request);
    // A well-signed token whose sign-in has ended (logout, new password, closed account) counts as none.
    const claims = this.tokens.verify(token);
    const user = claims ? await this.sessions.resolve(claims) : null;
    if (user) request.user = user;

    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    if (!user) {
      throw new CommonError(
        CommonErrorCode.Unauthenticated,
        token ? 'Your session has expired or is not valid; sign in again' : 'Sign in to do this',
      );
    }
    if (this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY, targets) && !user.isAdmin) {
      throw new IdentityError(IdentityErrorCode.AdminRequired, 'Only a platform administrator can do this');
    }
    const role = this.reflector.getAllAndOverride<CommunityRole | undefined>(COMMUNITY_ROLE, targets);
    if (role) {
      const slug = request.params.slug;
      if (typeof slug !== 'string') throw new Error('@RequireCommunityRole needs a :slug route parameter');
      request.communityContext = await this.access.bySlug(user, slug, role);
    }
    return true;
  }
}
