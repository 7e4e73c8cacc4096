import { Inject, Injectable } from '@nestjs/common';
import type { AuthenticateResult, DNSResolver } from 'mailauth';
import { promises as dns } from 'node:dns';
import { APP_CONFIG, AppConfig } from '@cophub/core';
import { mailauth } from './mailauth-loader';

/** The DNS resolver mailauth uses; tests provide a stub that answers for their own keys and policies. */
export const MAIL_IN_DNS_RESOLVER = Symbol('MAIL_IN_DNS_RESOLVER');

export const systemResolver: DNSResolver = (name, rrtype) =>
  dns.resolve(name, rrtype) as Promise<string[][] | string[]>;

/** What is stored with each message: enough to explain a decision, not the whole mailauth output. */
export interface AuthVerdict {
  spf: string;
  spfDomain: string | null;
  dkim: Array<{ domain: string; result: string; aligned: boolean }>;
  dmarc: string;
  dmarcPolicy: string | null;
  arc: string;
  /** The Authentication-Results header mailauth wrote, as a mail system would have added it. */
  header: string;
}

export interface SmtpContext {
  ip?: string;
  helo?: string;
  mailFrom: string;
}

/** SPF, DKIM, DMARC and ARC through mailauth. A DNS failure gives temperror results, never a throw. */
@Injectable()
export class SenderAuthentication {
  constructor(
    @Inject(MAIL_IN_DNS_RESOLVER) private readonly resolver: DNSResolver,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async verify(raw: Buffer, context: SmtpContext): Promise<AuthVerdict> {
    let result: AuthenticateResult;
    try {
      result = await mailauth.authenticate(raw, {
        ip: context.ip,
        helo: context.helo,
        sender: context.mailFrom || undefined,
        // Without the connecting address (a webhook that does not pass it) take it from Received.
        trustReceived: !context.ip,
        mta: this.config.mailIn.domain ?? 'cophub.localhost',
        resolver: this.resolver,
        disableBimi: true,
      });
    } catch (error) {
      return {
        spf: 'temperror',
        spfDomain: null,
        dkim: [],
        dmarc: 'temperror',
        dmarcPolicy: null,
        arc: 'none',
        header: `error: ${(error as Error).message}`.slice(0, 500),
      };
    }
    const dmarc = result.dmarc || null;
    const fromDomain = dmarc ? (dmarc.status.header as { from?: string } | undefined)?.from : undefined;
    return {
      spf: result.spf ? result.spf.status.result : 'none',
      spfDomain: result.spf ? result.spf.domain : null,
      dkim: (result.dkim?.results ?? []).map((r) => ({
        domain: r.signingDomain ?? '',
        result: r.status.result,
        aligned: Boolean(fromDomain && r.signingDomain && isAligned(r.signingDomain, fromDomain)),
      })),
      dmarc: dmarc ? dmarc.status.result : 'none',
      dmarcPolicy: dmarc ? dmarc.policy || null : null,
      arc: result.arc ? result.arc.status.result : 'none',
      header: result.headers.slice(0, 4000),
    };
  }
}

function isAligned(signing: string, from: string): boolean {
  const a = signing.toLowerCase();
  const b = from.toLowerCase();
  return a === b || b.endsWith(`.${a}`) || a.endsWith(`.${b}`);
}

/**
 * May mail that claims to be from a member be treated as theirs? DMARC pass always; with the
 * community's "accept DMARC failures" setting, also mail whose domain publishes no enforcing policy.
 * A failure where the domain asks for quarantine or reject is never accepted: that is spoofing.
 */
export function authenticatedEnough(verdict: AuthVerdict, acceptDmarcFailures: boolean): boolean {
  if (verdict.dmarc === 'pass') return true;
  if (!acceptDmarcFailures) return false;
  if (verdict.dmarc === 'fail') return verdict.dmarcPolicy === 'none';
  return true;
}

/**
 * May an automatic reply go to this envelope sender? Only when the sender is verified (SPF pass for
 * its domain, or a passing DKIM signature of that domain); otherwise a reply could land on a forged
 * victim (backscatter).
 */
export function replyableSender(verdict: AuthVerdict, envelopeFrom: string): boolean {
  const domain = envelopeFrom.split('@')[1]?.toLowerCase();
  if (!domain) return false;
  if (verdict.spf === 'pass' && verdict.spfDomain?.toLowerCase() === domain) return true;
  return verdict.dkim.some((d) => d.result === 'pass' && isAligned(d.domain, domain));
}
