import { outboxIdFromVerp, verpAddress } from './verp';

describe('per-message return paths', () => {
  const id = '3f2a9c1e-4b7d-4e21-9a0b-5c6d7e8f9a0b';

  it('round-trips the outbox id through the signed address', () => {
    const address = verpAddress(id, 'in.cophub.test', 'secret-one');
    expect(address).toMatch(/^bounces\+[0-9a-f]{32}\.[0-9a-f]{20}@in\.cophub\.test$/);
    expect(outboxIdFromVerp(address.slice('bounces+'.length, address.indexOf('@')), 'secret-one')).toBe(id);
  });

  it('refuses a tag with a changed id or mac, or signed with another secret', () => {
    const tag = verpAddress(id, 'd.test', 'secret-one').slice('bounces+'.length, -'@d.test'.length);
    const [hex, mac] = tag.split('.');
    expect(outboxIdFromVerp(`${hex.replace(/^./, hex[0] === 'a' ? 'b' : 'a')}.${mac}`, 'secret-one')).toBeNull();
    expect(outboxIdFromVerp(`${hex}.${mac.replace(/.$/, mac.endsWith('0') ? '1' : '0')}`, 'secret-one')).toBeNull();
    expect(outboxIdFromVerp(tag, 'secret-two')).toBeNull();
    expect(outboxIdFromVerp('not-a-tag', 'secret-one')).toBeNull();
  });
});
