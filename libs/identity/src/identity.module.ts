import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@cophub/audit';
import { MailModule } from '@cophub/mail';
import { IDENTITY_ENTITIES } from './db/identity.entities';
import { AccessRepository } from './db/access.repository';
import { AccountRepository } from './db/account.repository';
import { AuthRepository } from './db/auth.repository';
import { CommunityRepository } from './db/community.repository';
import { MembershipRepository } from './db/membership.repository';
import { PresenceRepository } from './db/presence.repository';
import { UserRepository } from './db/user.repository';
import { AccessGuard } from './guards/access.guards';
import { IdentityPersonalData } from './hooks/identity-account-hooks';
import { AccessTokenService } from './services/access-token.service';
import { AccountService } from './services/account.service';
import { AuthService } from './services/auth.service';
import { CommunityAccessService } from './services/community-access.service';
import { CommunityService } from './services/community.service';
import { IdentityChanges } from './services/identity-changes';
import { SessionService } from './services/session.service';
import { MembershipService } from './services/membership.service';
import { PresenceService } from './services/presence.service';
import { PasswordHasher } from './services/password-hasher';
import { UserService } from './services/user.service';

@Module({
  imports: [TypeOrmModule.forFeature(IDENTITY_ENTITIES), AuditModule, MailModule],
  providers: [
    AccessRepository,
    AccountRepository,
    AuthRepository,
    CommunityRepository,
    MembershipRepository,
    PresenceRepository,
    UserRepository,
    IdentityPersonalData,
    AccessTokenService,
    AccountService,
    AuthService,
    CommunityAccessService,
    CommunityService,
    IdentityChanges,
    SessionService,
    MembershipService,
    PresenceService,
    PasswordHasher,
    UserService,
    AccessGuard,
  ],
  exports: [
    AccessTokenService,
    AccountService,
    AuthService,
    CommunityAccessService,
    CommunityService,
    IdentityChanges,
    SessionService,
    MembershipService,
    PresenceService,
    PasswordHasher,
    UserService,
    AccessGuard,
  ],
})
export class IdentityModule {}
