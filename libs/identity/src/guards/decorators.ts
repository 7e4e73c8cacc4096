import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommunityRole } from '../db/enums';
import type { AuthUser } from '../services/access-token.service';
import type { CommunityContext } from '../services/community-access.service';

export const IS_PUBLIC = Symbol('IS_PUBLIC');
export const COMMUNITY_ROLE = Symbol('COMMUNITY_ROLE');
export const ADMIN_ONLY = Symbol('ADMIN_ONLY');

export interface AuthenticatedRequest extends FastifyRequest<{ Params: Record<string, string | undefined> }> {
  user?: AuthUser;
  communityContext?: CommunityContext;
}

/** No sign-in needed (a token, if sent, is still read so the handler can tailor its answer). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * The route lives under `/communities/:slug` and needs an approved membership with at least `role`.
 * Checked by the global `CommunityGuard`, which puts the `CommunityContext` on the request.
 */
export const RequireCommunityRole = (role: CommunityRole = CommunityRole.Member) => SetMetadata(COMMUNITY_ROLE, role);

/** Platform administrators only. */
export const AdminOnly = () => SetMetadata(ADMIN_ONLY, true);

export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): AuthUser => {
  const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
  if (!user) throw new Error('CurrentUser used on a route without authentication');
  return user;
});

export const OptionalUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthUser | null =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().user ?? null,
);

export const CurrentCommunity = createParamDecorator((_: unknown, context: ExecutionContext): CommunityContext => {
  const community = context.switchToHttp().getRequest<AuthenticatedRequest>().communityContext;
  if (!community) throw new Error('CurrentCommunity used on a route without @RequireCommunityRole');
  return community;
});
