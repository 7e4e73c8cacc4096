import { Readable } from 'node:stream';
import { Body, Controller, Get, HttpCode, HttpStatus, Patch, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiOkResponse, ApiProduces, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { IdempotencyNotStored } from '@cophub/core';
import {
  AccountService,
  AuthService,
  AuthUser,
  CareerStage,
  CommunityRole,
  CurrentUser,
  MembershipStatus,
  Profession,
  Region,
  UserService,
} from '@cophub/identity';
import { UserView } from '../common/views';
import { ChangePasswordDto } from '../auth/dto/auth.dto';
import { MeViews } from './me-views';

export class UpdateProfileDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(2, 80) displayName?: string;
  @ApiPropertyOptional({
    description:
      'For @mentions: 3 to 30 letters A-Z, digits, _ or -, starting with a letter or digit; unique ignoring case',
    example: 'sam-oneill',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  handle?: string;
  @ApiPropertyOptional({ enum: Profession }) @IsOptional() @IsEnum(Profession) profession?: Profession;
  @ApiPropertyOptional({ enum: CareerStage }) @IsOptional() @IsEnum(CareerStage) careerStage?: CareerStage;
  @ApiPropertyOptional({ enum: Region }) @IsOptional() @IsEnum(Region) region?: Region;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(120) organisation?: string;
}

export class CloseAccountDto {
  @ApiProperty({ description: 'Current password, to confirm' }) @IsString() @Length(1, 200) password: string;
}

export class MyMembershipView {
  @ApiProperty() communityId: string;
  @ApiProperty() slug: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: MembershipStatus }) status: MembershipStatus;
  @ApiProperty({ enum: CommunityRole }) role: CommunityRole;
}

export class HandleSuggestionView {
  @ApiProperty({ description: 'A free handle made from the display name' }) handle: string;
}

export class MeView extends UserView {
  @ApiProperty({ type: [MyMembershipView] }) memberships: MyMembershipView[];
}

@ApiTags('me')
@Controller('api/v1/me')
export class MeController {
  constructor(
    private readonly users: UserService,
    private readonly auth: AuthService,
    private readonly accounts: AccountService,
    private readonly views: MeViews,
  ) {}

  @Get()
  @ApiOkResponse({ type: MeView })
  get(@CurrentUser() user: AuthUser): Promise<MeView> {
    return this.views.get(user.id);
  }

  @Patch()
  @ApiOkResponse({ type: MeView })
  async update(@CurrentUser() user: AuthUser, @Body() body: UpdateProfileDto): Promise<MeView> {
    await this.users.updateProfile(user.id, body);
    return this.views.get(user.id);
  }

  /** A handle to offer in the profile form: made from the display name, free at the time of asking. */
  @Get('handle-suggestion')
  @ApiOkResponse({ type: HandleSuggestionView })
  async handleSuggestion(@CurrentUser() user: AuthUser): Promise<HandleSuggestionView> {
    return { handle: await this.users.suggestHandle(user.id) };
  }

  /**
   * Everything CoP Hub holds about the caller, as a JSON download (UK GDPR subject access): one section per part of
   * the product, each entry saying what it is. Streamed as it is read, so a long history never sits in memory whole.
   */
  @Get('export')
  @ApiProduces('application/json')
  async export(@CurrentUser() user: AuthUser, @Res() response: FastifyReply): Promise<void> {
    const pieces = await this.accounts.exportJson(user.id);
    const date = new Date().toISOString().slice(0, 10);
    response
      .status(200)
      .header('Content-Type', 'application/json; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="cophub-personal-data-${date}.json"`)
      .header('Cache-Control', 'no-store')
      .header('X-Content-Type-Options', 'nosniff')
      .send(Readable.from(pieces));
  }

  /** Closes the account: the person is de-identified and signed out; their posts stay as "Former member". */
  @Post('close')
  @HttpCode(HttpStatus.NO_CONTENT)
  @IdempotencyNotStored('the body carries the password; closing twice changes nothing more')
  async close(@CurrentUser() user: AuthUser, @Body() body: CloseAccountDto): Promise<void> {
    await this.accounts.close(user.id, body.password);
  }

  @Post('password')
  @HttpCode(HttpStatus.NO_CONTENT)
  @IdempotencyNotStored('the body carries passwords, whose hash must not be kept')
  async changePassword(@CurrentUser() user: AuthUser, @Body() body: ChangePasswordDto): Promise<void> {
    await this.auth.changePassword(user.id, body.currentPassword, body.newPassword);
  }
}
