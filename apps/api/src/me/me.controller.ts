import { Readable } from 'node:stream';
import { Body, Controller, Get, HttpCode, HttpStatus, Patch, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { IdempotencyNotStored } from '@cophub/core';
import {
  AccountService,
  AuthService,
  AuthUser,
  ChangePasswordDto,
  CloseAccountDto,
  CurrentUser,
  HandleSuggestionView,
  MeView,
  UpdateProfileDto,
  UserService,
} from '@cophub/identity';
import { MeViews } from './me-views';

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
