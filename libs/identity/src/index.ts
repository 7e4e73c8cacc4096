export { CareerStage, CommunityRole, Profession, Region, ROLE_RANK } from './db/enums';
export { User } from './db/user.entity';
export { UserToken } from './db/user-token.entity';
export { RefreshToken } from './db/refresh-token.entity';
export { Community } from './db/community.entity';
export { Membership } from './db/membership.entity';
export { IdentityError, IdentityErrorCode } from './errors/identity.error';
export {
  ADMIN_ONLY,
  AdminOnly,
  COMMUNITY_ROLE,
  CurrentCommunity,
  CurrentUser,
  IS_PUBLIC,
  OptionalUser,
  Public,
  RequireCommunityRole,
} from './guards/decorators';
export { AccessGuard } from './guards/access.guards';
export { AccessTokenService } from './services/access-token.service';
export type { AuthUser } from './services/access-token.service';
export { AuthService } from './services/auth.service';
export { AccountService } from './services/account.service';
export { CommunityAccessService, hasRole } from './services/community-access.service';
export type { CommunityContext } from './services/community-access.service';
export { CommunityService } from './services/community.service';
export { formerMemberHandle, HANDLE_PATTERN, isReservedHandle, RESERVED_HANDLES } from './domain/handle';
export { IdentityChanges } from './services/identity-changes';
export type { IdentityChange } from './services/identity-changes';
export { SessionService } from './services/session.service';
export { MembershipDecision } from './domain/membership-rules';
export { MembershipService } from './services/membership.service';
export { UserService } from './services/user.service';
export { IdentityModule } from './identity.module';
export {
  ChangePasswordDto,
  CloseAccountDto,
  EmailDto,
  LoginDto,
  RefreshDto,
  RegisterDto,
  ResetPasswordDto,
  TokenDto,
  UpdateProfileDto,
} from './contract/identity.dto';
export {
  AddMemberDto,
  ChangeRoleDto,
  CreateCommunityDto,
  DecisionParamsDto,
  ListMembersQueryDto,
  UpdateCommunityDto,
} from './contract/community.dto';
export {
  AcceptedView,
  CommunityListItemView,
  CommunityStandingView,
  CommunityView,
  HandleSuggestionView,
  MemberPageView,
  MembershipView,
  MeView,
  ProfileCardView,
  TokenPairView,
  UserView,
} from './contract/identity.views';
export { toCommunityView, toMembershipView, toTokenPairView, toUserView } from './contract/identity.mappers';
export { IDENTITY_ENTITIES } from './db/identity.entities';
export { IDENTITY_PUBLISHED_COLUMNS } from './db/published';
export { identityMigrations } from './db/migrations';
export { PresenceService } from './services/presence.service';
export type { KeyContact } from './services/presence.service';
