import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CommonError, CommonErrorCode } from '@cophub/core';
import { AuthUser, CurrentUser, HANDLE_PATTERN, ProfileCardView, UserService } from '@cophub/identity';

/** The small card a mention opens: only to members who share a community with the person. */
@ApiTags('profiles')
@Controller('api/v1/profiles')
export class ProfilesController {
  constructor(private readonly users: UserService) {}

  @Get(':handle')
  @ApiOkResponse({ type: ProfileCardView })
  async card(@CurrentUser() user: AuthUser, @Param('handle') handle: string): Promise<ProfileCardView> {
    if (!HANDLE_PATTERN.test(handle)) {
      throw new CommonError(CommonErrorCode.BadRequest, 'handle must be 3 to 30 letters, digits, _ or -');
    }
    return this.users.card(user.id, handle);
  }
}
