import { Controller, Get, Header, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { escapeHtml, PageQueryDto } from '@cophub/core';
import { AdminOnly, AuthUser, CurrentUser, Public, UserService } from '@cophub/identity';
import { MailSuppressionService } from '@cophub/mail';
import { htmlPage } from './html-page';

export class BouncingAddressDto {
  @ApiProperty() address: string;
  @ApiProperty() reason: string;
  @ApiProperty({ description: 'Delivery status code, e.g. 5.1.1' }) status: string;
  @ApiProperty() diagnostic: string;
  @ApiProperty() bounceCount: number;
  @ApiProperty() firstBouncedAt: Date;
  @ApiProperty() lastBouncedAt: Date;
}

export class BouncingPageDto {
  @ApiProperty({ type: [BouncingAddressDto] }) items: BouncingAddressDto[];
  @ApiPropertyOptional({ type: String, nullable: true }) nextCursor: string | null;
}

export class MyMailStatusDto {
  @ApiProperty() address: string;
  @ApiProperty({ description: 'true while mail to this address is not sent because it hard-bounced' })
  bouncing: boolean;
  @ApiProperty({ description: 'true while CoP Hub sends no email to this address (the confirmation email excepted)' })
  paused: boolean;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Why mail is paused, in words for the member' })
  pausedReason: string | null;
  @ApiPropertyOptional({ type: Date, nullable: true }) lastBouncedAt: Date | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Delivery status code of the last bounce, e.g. 5.1.1',
  })
  status: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) diagnostic: string | null;
}

/** The member's own words for a paused address: when, what their mail server said, what to do. */
function pausedReason(bounce: { lastBouncedAt: Date; status: string; diagnostic: string }): string {
  const when = bounce.lastBouncedAt.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/London',
  });
  const said = bounce.diagnostic ? `: "${bounce.diagnostic}"` : '';
  return (
    `On ${when} your mail server refused an email we sent you (status ${bounce.status}${said}), ` +
    'so CoP Hub stopped emailing this address. Ask for a confirmation email and follow its link when the address works again.'
  );
}

/**
 * Hard-bounced addresses: admins see them; a member sees their own and asks for a confirmation link
 * (the one message still sent to a bouncing address); following it resumes mail. The link's GET
 * only shows a button, so mail scanners that open links change nothing.
 */
@ApiTags('mail')
@Controller('api/v1')
export class MailStatusController {
  constructor(
    private readonly suppressions: MailSuppressionService,
    private readonly users: UserService,
  ) {}

  @Get('admin/mail/bouncing')
  @AdminOnly()
  @ApiOkResponse({ type: BouncingPageDto })
  bouncing(@Query() query: PageQueryDto): Promise<BouncingPageDto> {
    return this.suppressions.list(query.limit ?? 50, query.cursor);
  }

  @Get('me/mail-status')
  @ApiOkResponse({ type: MyMailStatusDto })
  async mine(@CurrentUser() user: AuthUser): Promise<MyMailStatusDto> {
    const profile = await this.users.get(user.id);
    const bounce = await this.suppressions.find(profile.email);
    return {
      address: profile.email,
      bouncing: bounce !== null,
      paused: bounce !== null,
      pausedReason: bounce ? pausedReason(bounce) : null,
      lastBouncedAt: bounce?.lastBouncedAt ?? null,
      status: bounce?.status ?? null,
      diagnostic: bounce?.diagnostic ?? null,
    };
  }

  @Post('me/mail-status/confirm')
  @HttpCode(HttpStatus.ACCEPTED)
  async requestConfirmation(@CurrentUser() user: AuthUser): Promise<{ sent: true }> {
    const profile = await this.users.get(user.id);
    await this.suppressions.requestConfirmation({ email: profile.email, displayName: profile.displayName });
    return { sent: true };
  }

  @Get('mail-status/confirm')
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiProduces('text/html')
  confirmPage(@Query('token') token: string): string {
    const address = this.suppressions.verify(token);
    return htmlPage(
      'Confirm your email address',
      `<p>Start sending CoP Hub email to ${escapeHtml(address)} again?</p>` +
        `<form method="post" action="?token=${encodeURIComponent(token)}"><button type="submit">Confirm my address</button></form>`,
    );
  }

  @Post('mail-status/confirm')
  @Public()
  @HttpCode(HttpStatus.OK)
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiProduces('text/html')
  async confirm(@Query('token') token: string | undefined): Promise<string> {
    const address = await this.suppressions.confirm(token ?? '');
    return htmlPage('Address confirmed', `<p>CoP Hub will email ${escapeHtml(address)} again.</p>`);
  }
}
