import { Body, Controller, Get, HttpCode, HttpStatus, Patch, Post } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import {
  AuthService,
  AuthUser,
  CareerStage,
  CommunityRole,
  CurrentUser,
  MembershipService,
  MembershipStatus,
  Profession,
  Region,
  UserService,
} from '@cophub/identity';
import { toUserView, UserView } from '../common/views';
import { ChangePasswordDto } from '../auth/dto/auth.dto';

export class UpdateProfileDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(2, 80) displayName?: string;
  @ApiPropertyOptional({ enum: Profession }) @IsOptional() @IsEnum(Profession) profession?: Profession;
  @ApiPropertyOptional({ enum: CareerStage }) @IsOptional() @IsEnum(CareerStage) careerStage?: CareerStage;
  @ApiPropertyOptional({ enum: Region }) @IsOptional() @IsEnum(Region) region?: Region;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(120) organisation?: string;
}

export class MyMembershipView {
  @ApiProperty() slug: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: MembershipStatus }) status: MembershipStatus;
  @ApiProperty({ enum: CommunityRole }) role: CommunityRole;
}

export class MeView extends UserView {
  @ApiProperty({ type: [MyMembershipView] }) memberships: MyMembershipView[];
}

@ApiTags('me')
@Controller('api/v1/me')
export class MeController {
  constructor(
    private readonly users: UserService,
    private readonly memberships: MembershipService,
    private readonly auth: AuthService,
  ) {}

  @Get()
  @ApiOkResponse({ type: MeView })
  async get(@CurrentUser() user: AuthUser): Promise<MeView> {
    const [profile, memberships] = await Promise.all([
      this.users.get(user.id),
      this.memberships.membershipsOf(user.id),
    ]);
    return { ...toUserView(profile), memberships };
  }

  @Patch()
  @ApiOkResponse({ type: MeView })
  async update(@CurrentUser() user: AuthUser, @Body() body: UpdateProfileDto): Promise<MeView> {
    await this.users.updateProfile(user.id, body);
    return this.get(user);
  }

  @Post('password')
  @HttpCode(HttpStatus.NO_CONTENT)
  async changePassword(@CurrentUser() user: AuthUser, @Body() body: ChangePasswordDto): Promise<void> {
    await this.auth.changePassword(user.id, body.currentPassword, body.newPassword);
  }
}
