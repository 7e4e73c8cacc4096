import { Community } from './community.entity';
import { Membership } from './membership.entity';
import { RefreshToken } from './refresh-token.entity';
import { UserToken } from './user-token.entity';
import { User } from './user.entity';

/** Identity's tables, as entities: `users`, `user_tokens`, `refresh_tokens`, `communities`, `memberships`. */
export const IDENTITY_ENTITIES = [User, UserToken, RefreshToken, Community, Membership];
