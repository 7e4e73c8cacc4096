import { DynamicModule, Module, Provider } from '@nestjs/common';
import type { DNSResolver } from 'mailauth';
import { AuditModule } from '@cophub/audit';
import { ForumModule } from '@cophub/forum';
import { IdentityModule } from '@cophub/identity';
import { MailModule } from '@cophub/mail';
import { ResourcesModule } from '@cophub/resources';
import { InboundRepository } from './db/inbound.repository';
import { MailInAccountRepository } from './db/mail-in-account.repository';
import { ReplyConfirmationRepository } from './db/reply-confirmation.repository';
import { SubmissionRepository } from './db/submission.repository';
import { MailInAccountHooks } from './hooks/mail-in-account-hooks';
import { RawMessageRetention } from './jobs/raw-message-retention';
import { InboundMailService } from './services/inbound-mail.service';
import { InboundRecorder } from './services/inbound-recorder';
import { InboundReplies } from './services/inbound-replies';
import { InboundSubmissions } from './services/inbound-submissions';
import { ReplyConfirmationService } from './services/reply-confirmation.service';
import { MAIL_IN_DNS_RESOLVER, SenderAuthentication, systemResolver } from './services/sender-authentication';
import { SubmissionService } from './services/submission.service';

export interface MailInModuleOptions {
  /** DNS for SPF, DKIM and DMARC; the system resolver unless a test passes a stub. */
  resolver?: DNSResolver;
  /** Run the raw-message retention pass (the mail-in process does; the API does not). */
  retention?: boolean;
}

/** Inbound mail processing and the submissions review queue, shared by the mail-in app and the API. */
@Module({})
export class MailInModule {
  static forRoot(options: MailInModuleOptions = {}): DynamicModule {
    const providers: Provider[] = [
      { provide: MAIL_IN_DNS_RESOLVER, useValue: options.resolver ?? systemResolver },
      InboundRepository,
      SubmissionRepository,
      ReplyConfirmationRepository,
      MailInAccountRepository,
      SenderAuthentication,
      InboundRecorder,
      InboundSubmissions,
      InboundReplies,
      InboundMailService,
      SubmissionService,
      ReplyConfirmationService,
      MailInAccountHooks,
      ...(options.retention ? [RawMessageRetention] : []),
    ];
    return {
      module: MailInModule,
      imports: [AuditModule, IdentityModule, MailModule, ForumModule, ResourcesModule],
      providers,
      exports: [InboundMailService, SubmissionService, ReplyConfirmationService],
    };
  }
}
