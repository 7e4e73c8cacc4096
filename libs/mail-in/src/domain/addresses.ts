/** What a recipient address at the inbound domain means. */
export type InboundTarget =
  | { kind: 'share' | 'resources'; slug: string }
  | { kind: 'reply'; token: string }
  /** `verp` is the per-message tag of `bounces+<tag>`; the plain `bounces` address has none. */
  | { kind: 'bounces'; verp: string | null };

/**
 * Community addresses use plus-addressing on one inbound domain, so a deployment needs a single MX
 * record: `share+<community slug>@domain`, `resources+<slug>@domain`, `reply+<token>@domain` (the
 * per-member Reply-To of notification emails) and `bounces+<outbox id>.<mac>@domain` (the envelope
 * sender of each outgoing message, where its delivery status notifications arrive; the plain
 * `bounces@domain` of older mail is still taken, and its reports are ignored). Anything else is not ours.
 */
export function parseInboundAddress(address: string, domain: string): InboundTarget | null {
  const at = address.lastIndexOf('@');
  if (at < 1) return null;
  const local = address.slice(0, at).toLowerCase();
  if (address.slice(at + 1).toLowerCase() !== domain.toLowerCase()) return null;
  if (local === 'bounces') return { kind: 'bounces', verp: null };
  const verp = /^bounces\+([0-9a-f]{32}\.[0-9a-f]{20})$/.exec(local);
  if (verp) return { kind: 'bounces', verp: verp[1] };
  const match = /^(share|resources|reply)\+([a-z0-9-]{1,100})$/.exec(local);
  if (!match) return null;
  const [, box, tag] = match;
  if (box === 'reply') return /^[a-z2-7]{42}$/.test(tag) ? { kind: 'reply', token: tag } : null;
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(tag)) return null;
  return { kind: box as 'share' | 'resources', slug: tag };
}

export function communityAddresses(slug: string, domain: string): { share: string; resources: string } {
  return { share: `share+${slug}@${domain}`, resources: `resources+${slug}@${domain}` };
}

/** The one target a message is for: a reply token wins, then a community address, then bounces. */
export function primaryTarget(recipients: string[], domain: string): InboundTarget | null {
  const targets = recipients.map((r) => parseInboundAddress(r, domain)).filter((t): t is InboundTarget => t !== null);
  return (
    targets.find((t) => t.kind === 'reply') ??
    targets.find((t) => t.kind === 'share' || t.kind === 'resources') ??
    targets[0] ??
    null
  );
}
