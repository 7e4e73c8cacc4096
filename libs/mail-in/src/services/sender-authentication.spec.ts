import { clientIpFromTrustedReceived } from './sender-authentication';

const message = (...received: string[]) =>
  Buffer.from([...received.map((r) => `Received: ${r}`), 'From: a@trust.example', '', 'body', ''].join('\r\n'));

describe('clientIpFromTrustedReceived', () => {
  const trusted = ['mx.provider.test'];

  it('believes no line when no provider host is trusted', () => {
    expect(clientIpFromTrustedReceived(message('from a (a [203.0.113.5]) by mx.provider.test'), [])).toBeUndefined();
  });

  it('takes the sending server from the line a trusted host wrote', () => {
    const raw = message('from mail.trust.example (mail.trust.example [203.0.113.5])\r\n by mx.provider.test; Mon');
    expect(clientIpFromTrustedReceived(raw, trusted)).toBe('203.0.113.5');
  });

  it('passes over the provider’s internal hops but never reads below the first outside server', () => {
    const raw = message(
      'from int-1 (int-1 [10.0.0.7]) by mx.provider.test',
      'from relay.attacker.test (relay.attacker.test [198.51.100.7]) by mx.provider.test',
      'from mail.trust.example (mail.trust.example [203.0.113.5]) by mx.provider.test',
    );
    expect(clientIpFromTrustedReceived(raw, trusted)).toBe('198.51.100.7');
  });

  it('believes nothing when the top line was not written by a trusted host', () => {
    const raw = message(
      'from mail.trust.example (mail.trust.example [203.0.113.5]) by mx.attacker.test',
      'from mail.trust.example (mail.trust.example [203.0.113.5]) by mx.provider.test',
    );
    expect(clientIpFromTrustedReceived(raw, trusted)).toBeUndefined();
  });

  it('ignores an address the client claimed in its HELO name', () => {
    const raw = message('from [203.0.113.5] (unknown [198.51.100.7]) by mx.provider.test');
    expect(clientIpFromTrustedReceived(raw, trusted)).toBe('198.51.100.7');
    expect(clientIpFromTrustedReceived(message('from [203.0.113.5] by mx.provider.test'), trusted)).toBeUndefined();
  });
});
