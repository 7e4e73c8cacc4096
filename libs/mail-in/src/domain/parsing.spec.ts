import { parseInboundAddress, primaryTarget } from './addresses';
import { automaticReason } from './automatic';
import { isDeliveryReport, isHardBounce, parseDeliveryReport } from './dsn';

describe('inbound addresses', () => {
  const domain = 'in.cophub.example';

  it('reads community, reply and bounce addresses at the inbound domain only', () => {
    expect(parseInboundAddress('share+north-west@in.cophub.example', domain)).toEqual({
      kind: 'share',
      slug: 'north-west',
    });
    expect(parseInboundAddress('Resources+North-West@IN.cophub.example', domain)).toEqual({
      kind: 'resources',
      slug: 'north-west',
    });
    expect(parseInboundAddress(`reply+${'a'.repeat(42)}@in.cophub.example`, domain)).toEqual({
      kind: 'reply',
      token: 'a'.repeat(42),
    });
    expect(parseInboundAddress('bounces@in.cophub.example', domain)).toEqual({ kind: 'bounces', verp: null });
    const tag = `${'0123456789abcdef'.repeat(2)}.${'a'.repeat(20)}`;
    expect(parseInboundAddress(`bounces+${tag}@in.cophub.example`, domain)).toEqual({ kind: 'bounces', verp: tag });
    expect(parseInboundAddress('bounces+anything@in.cophub.example', domain)).toBeNull();
    for (const other of [
      'share@in.cophub.example',
      'share+north-west@elsewhere.example',
      'share+-bad@in.cophub.example',
      'reply+short@in.cophub.example',
      'postmaster@in.cophub.example',
    ]) {
      expect(parseInboundAddress(other, domain)).toBeNull();
    }
  });

  it('gives a reply address precedence over a community address among the recipients', () => {
    const reply = `reply+${'b'.repeat(42)}@${domain}`;
    expect(primaryTarget([`share+cop@${domain}`, reply], domain)).toMatchObject({ kind: 'reply' });
    expect(primaryTarget(['x@elsewhere.example'], domain)).toBeNull();
  });
});

describe('automatic mail (RFC 3834)', () => {
  const headers = (entries: Record<string, unknown>) => new Map(Object.entries(entries));

  it('recognises auto-replies, bulk and list mail, and the null return path', () => {
    expect(automaticReason(headers({ 'auto-submitted': 'auto-replied' }), 'a@b.example')).toMatch(/Auto-Submitted/);
    expect(automaticReason(headers({ precedence: 'bulk' }), 'a@b.example')).toMatch(/Precedence/);
    expect(automaticReason(headers({ precedence: 'list' }), 'a@b.example')).toMatch(/Precedence/);
    expect(automaticReason(headers({}), '')).toBe('null return path');
    expect(automaticReason(headers({}), 'MAILER-DAEMON@mx.example')).toBe('mailer daemon');
  });

  it('treats a person’s mail (Auto-Submitted: no) as a person’s', () => {
    expect(automaticReason(headers({ 'auto-submitted': 'no' }), 'a@b.example')).toBeNull();
    expect(automaticReason(headers({}), 'a@b.example')).toBeNull();
  });
});

describe('delivery status notifications', () => {
  const dsn = Buffer.from(
    [
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
      '',
      '--b',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example',
      '',
      'Final-Recipient: rfc822; Someone@Trust.example',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1',
      ' user unknown',
      '',
      'Final-Recipient: rfc822; later@trust.example',
      'Action: delayed',
      'Status: 4.4.1',
      '',
      '--b',
      'Content-Type: text/rfc822-headers',
      '',
      'Message-ID: <0b6f0c5e-5b0e-4a53-9d3e-2a0f8f6c1d2e@cophub.example>',
      '--b--',
    ].join('\r\n'),
  );

  it('reads each recipient, tells hard from soft failures, and finds the original Message-ID', () => {
    const report = parseDeliveryReport(dsn);
    expect(report.failures).toEqual([
      {
        recipient: 'someone@trust.example',
        action: 'failed',
        status: '5.1.1',
        diagnostic: 'smtp; 550 5.1.1 user unknown',
      },
      { recipient: 'later@trust.example', action: 'delayed', status: '4.4.1', diagnostic: '' },
    ]);
    expect(report.failures.map(isHardBounce)).toEqual([true, false]);
    expect(report.originalMessageIds).toEqual(['<0b6f0c5e-5b0e-4a53-9d3e-2a0f8f6c1d2e@cophub.example>']);
  });

  it('recognises the report content type', () => {
    expect(isDeliveryReport({ value: 'multipart/report', params: { 'report-type': 'delivery-status' } })).toBe(true);
    expect(isDeliveryReport({ value: 'multipart/mixed', params: {} })).toBe(false);
  });
});
