import { Body, Controller, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { RateLimit } from '@cophub/core';
import {
  AcceptedView,
  AuthService,
  AuthUser,
  CurrentUser,
  EmailDto,
  LoginDto,
  Public,
  RefreshDto,
  RegisterDto,
  ResetPasswordDto,
  TokenDto,
  TokenPairView,
  toTokenPairView,
  toUserView,
  UserView,
} from '@cophub/identity';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('register')
  @RateLimit({
    bucket: 'register',
    by: 'ip',
    limit: (c) => c.rateLimits.registerPerIpPerHour,
    windowSeconds: 3600,
    what: 'registrations from your network',
  })
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({
    type: AcceptedView,
    description: 'The same answer whether or not the address has an account (an email says what to do next)',
  })
  async register(@Body() body: RegisterDto): Promise<AcceptedView> {
    await this.auth.register(body);
    return { message: 'Check your email: we have sent you a link to finish setting up your account' };
  }

  @Public()
  @Post('verify-email')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: UserView })
  async verifyEmail(@Body() body: TokenDto): Promise<UserView> {
    return toUserView(await this.auth.verifyEmail(body.token));
  }

  @Public()
  @Post(['verify-email/resend', 'verify/resend'])
  @HttpCode(HttpStatus.ACCEPTED)
  @RateLimit({
    bucket: 'verify-resend',
    by: 'ip',
    limit: (c) => c.rateLimits.passwordResetPerIpPerHour,
    windowSeconds: 3600,
    what: 'verification emails requested',
  })
  async resendVerification(@Body() body: EmailDto): Promise<AcceptedView> {
    await this.auth.resendVerification(body.email);
    return { message: 'If that address has an unverified account, a new link is on its way' };
  }

  @Public()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @RateLimit({
    bucket: 'login-ip',
    by: 'ip',
    limit: (c) => c.rateLimits.loginPerIpPerMinute,
    windowSeconds: 60,
    what: 'sign-in attempts',
  })
  @ApiOkResponse({ type: TokenPairView })
  async login(@Body() body: LoginDto, @Req() request: FastifyRequest): Promise<TokenPairView> {
    return toTokenPairView(
      await this.auth.login(body.email, body.password, {
        userAgent: request.headers['user-agent'] ?? null,
        address: request.ip ?? 'unknown',
      }),
    );
  }

  @Public()
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: TokenPairView })
  async refresh(@Body() body: RefreshDto, @Req() request: FastifyRequest): Promise<TokenPairView> {
    return toTokenPairView(await this.auth.refresh(body.refreshToken, request.headers['user-agent'] ?? null));
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  async logout(@CurrentUser() user: AuthUser): Promise<void> {
    await this.auth.logout(user);
  }

  @Public()
  @Post('password-reset')
  @HttpCode(HttpStatus.ACCEPTED)
  @RateLimit({
    bucket: 'password-reset',
    by: 'ip',
    limit: (c) => c.rateLimits.passwordResetPerIpPerHour,
    windowSeconds: 3600,
    what: 'password reset requests',
  })
  async requestPasswordReset(@Body() body: EmailDto): Promise<AcceptedView> {
    await this.auth.requestPasswordReset(body.email);
    return { message: 'If that address has an account, a reset link is on its way' };
  }

  @Public()
  @Post('password-reset/confirm')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RateLimit({
    bucket: 'password-reset-confirm',
    by: 'ip',
    limit: (c) => c.rateLimits.passwordResetPerIpPerHour * 3,
    windowSeconds: 3600,
    what: 'password reset attempts',
  })
  async resetPassword(@Body() body: ResetPasswordDto): Promise<void> {
    await this.auth.resetPassword(body.token, body.password);
  }
}
