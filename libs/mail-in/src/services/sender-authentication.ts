import { Inject, Injectable } from '@nestjs/common';
import type { AuthenticateResult, DNSResolver } from 'mailauth';
import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import { APP_CONFIG, AppConfig } from '@cophub/core';
import addressparser from 'nodemailer/lib/addressparser';
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
  /**
   * The To and Cc addresses of the header lines a passing DKIM signature aligned with From covers
   * (its h= list), lower case; null when no such signature exists.
   */
  signedRecipients?: string[] | null;
}

/** The addresses of To and Cc header lines (raw, possibly folded), lower case. */
export function recipientsOf(lines: string[]): string[] {
  const found = new Set<string>();
  for (const line of lines) {
    const match = /^(to|cc)\s*:([\s\S]*)$/i.exec(line.replace(/\r?\n[ \t]+/g, ' ').trim());
    if (!match) continue;
    const flatten = (entries: ReturnType<typeof addressparser>): void => {
      for (const entry of entries) {
        if ('group' in entry && entry.group) flatten(entry.group);
        else if ('address' in entry && entry.address) found.add(entry.address.toLowerCase());
      }
    };
    flatten(addressparser(match[2]));
  }
  return [...found];
}

export interface SmtpContext {
  /** The client IP the receiving side saw itself: the SMTP connection, or the provider's own report. */
  ip?: string;
  helo?: string;
  mailFrom: string;
}

/** Private, loopback and link-local addresses: hops inside a provider, never the sending server. */
function isInternal(ip: string): boolean {
  const v4 = ip.replace(/^::ffff:/i, '');
  if (isIP(v4) === 4) {
    const [a, b] = v4.split('.').map(Number);
    return (
      a === 10 ||
      a === 127 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      a === 0
    );
  }
  const lower = ip.toLowerCase();
  return lower === '::1' || lower.startsWith('fc') || lower.startsWith('fd') || lower.startsWith('fe80');
}

/** The unfolded `Received:` lines of a message's header, top (newest) first. */
export function receivedLines(raw: Buffer): string[] {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw
    .subarray(0, end < 0 ? Math.min(raw.length, 256 * 1024) : Math.min(end, 256 * 1024))
    .toString('latin1');
  return head
    .replace(/\r?\n[ \t]+/g, ' ')
    .split(/\r?\n/)
    .filter((line) => /^received:/i.test(line))
    .map((line) => line.slice('received:'.length).trim());
}

/**
 * The client IP as a trusted provider host recorded it. Lines are read from the top, each only if a
 * trusted host wrote it (its `by` names one): a line the sender wrote sits below the provider's own
 * and is never reached, because reading stops at the first line whose `from` clause gives a public
 * address (the server that handed the message to the provider) or whose `by` is not trusted.
 * Internal hops of the provider (private addresses) are passed over.
 */
export function clientIpFromTrustedReceived(raw: Buffer, trustedHosts: string[]): string | undefined {
  if (!trustedHosts.length) return undefined;
  for (const line of receivedLines(raw)) {
    const by = /\bby\s+([^\s;()]+)/i.exec(line)?.[1]?.toLowerCase().replace(/\.$/, '');
    if (!by || !trustedHosts.includes(by)) return undefined;
    const fromClause = /^from\s+(.*?)\s+by\s/is.exec(line)?.[1] ?? '';
    // The TCP-info comment (RFC 5321 4.4) holds the address the host saw; the HELO name before it
    // is the client's own claim and may itself be an address literal.
    const tcpInfo = /\(([^)]*)\)/.exec(fromClause)?.[1] ?? '';
    const ip = /\[(?:ipv6:)?([0-9a-f:.]+)\]/i.exec(tcpInfo)?.[1];
    if (!ip || !isIP(ip)) return undefined;
    if (!isInternal(ip)) return ip;
  }
  return undefined;
}

/** SPF, DKIM, DMARC and ARC through mailauth. A DNS failure gives temperror results, never a throw. */
@Injectable()
export class SenderAuthentication {
  constructor(
    @Inject(MAIL_IN_DNS_RESOLVER) private readonly resolver: DNSResolver,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async verify(raw: Buffer, context: SmtpContext): Promise<AuthVerdict> {
    // The client IP is only ever one the receiving side saw: the SMTP connection, the provider's
    // report of it, or a Received line written by a provider host named in the settings. Never a
    // line the sender could have written. Without one, SPF is `none` and DMARC rests on DKIM.
    const ip = context.ip || clientIpFromTrustedReceived(raw, this.config.mailIn.trustedReceivedHosts);
    let result: AuthenticateResult;
    try {
      result = await mailauth.authenticate(raw, {
        ip,
        helo: ip ? context.helo : undefined,
        sender: context.mailFrom || undefined,
        trustReceived: false,
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
        signedRecipients: null,
      };
    }
    const dmarc = result.dmarc || null;
    const fromDomain = dmarc ? (dmarc.status.header as { from?: string } | undefined)?.from : undefined;
    // Which To/Cc lines the member's own signature vouches for: a replayed signed message keeps the
    // recipients it was first sent to, and a line added above them is not covered.
    const alignedPasses = (result.dkim?.results ?? []).filter(
      (r) =>
        r.status.result === 'pass' && Boolean(fromDomain && r.signingDomain && isAligned(r.signingDomain, fromDomain)),
    );
    const signedRecipients = alignedPasses.length
      ? recipientsOf(
          alignedPasses.flatMap(
            (r) => (r as { signingHeaders?: { headers?: string[] } }).signingHeaders?.headers ?? [],
          ),
        )
      : null;
    const spfEvaluated = Boolean(ip && result.spf);
    return {
      spf: spfEvaluated && result.spf ? result.spf.status.result : 'none',
      spfDomain: spfEvaluated && result.spf ? result.spf.domain : null,
      dkim: (result.dkim?.results ?? []).map((r) => ({
        domain: r.signingDomain ?? '',
        result: r.status.result,
        aligned: Boolean(fromDomain && r.signingDomain && isAligned(r.signingDomain, fromDomain)),
      })),
      dmarc: dmarc ? dmarc.status.result : 'none',
      dmarcPolicy: dmarc ? dmarc.policy || null : null,
      arc: result.arc ? result.arc.status.result : 'none',
      header: result.headers.slice(0, 4000),
      signedRecipients,
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
 * May an automatic mail (a refusal, an acknowledgement) go to this address? Only when the message
 * proves it came from that address's domain: SPF pass for the domain (against an IP the receiving
 * side saw) or a passing DKIM signature aligned with it. Otherwise it could land on a forged victim
 * (backscatter).
 */
export function replyableSender(verdict: AuthVerdict, address: string): boolean {
  const domain = address.split('@')[1]?.toLowerCase();
  if (!domain) return false;
  if (verdict.spf === 'pass' && verdict.spfDomain?.toLowerCase() === domain) return true;
  return verdict.dkim.some((d) => d.result === 'pass' && isAligned(d.domain, domain));
}
