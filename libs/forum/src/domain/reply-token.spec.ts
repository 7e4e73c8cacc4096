import { base32Decode, base32Encode } from './reply-token';

describe('reply address encoding', () => {
  it('round-trips bytes through lower-case base32 and reads upper case the same', () => {
    const bytes = Buffer.from('0f1e2d3c4b5a69788796a5b4c3d2e1f0', 'hex');
    const text = base32Encode(bytes);
    expect(text).toMatch(/^[a-z2-7]{26}$/);
    expect(base32Decode(text)).toEqual(bytes);
    expect(base32Decode(text.toUpperCase())).toEqual(bytes);
  });

  it('refuses characters outside the alphabet', () => {
    expect(base32Decode('abc1')).toBeNull();
    expect(base32Decode('ab+c')).toBeNull();
  });
});
