import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CommonError, CommonErrorCode } from '@cophub/core';
import { AuthUser, CareerStage, CurrentUser, HANDLE_PATTERN, Profession, Region, UserService } from '@cophub/identity';

export class CommonCommunityView {
  @ApiProperty() slug: string;
  @ApiProperty() name: string;
}

export class ProfileCardView {
  @ApiProperty() userId: string;
  @ApiProperty() handle: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: Profession }) profession: Profession;
  @ApiProperty({ enum: CareerStage }) careerStage: CareerStage;
  @ApiProperty({ enum: Region }) region: Region;
  @ApiProperty({ type: [CommonCommunityView], description: 'Communities the viewer and this member both belong to' })
  communitiesInCommon: CommonCommunityView[];
}

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
