import { extractMentionHandles, MAX_MENTIONS } from './forum-notifier';

describe('extractMentionHandles', () => {
  it('reads @handles as display names without spaces or punctuation, case-insensitively', () => {
    expect(extractMentionHandles("Thanks @SamONeill and @alice.archer, see @Bob-O'Brien")).toEqual([
      'samoneill',
      'alicearcher',
      'bobo',
    ]);
  });

  it('ignores email addresses and lone @ signs', () => {
    expect(extractMentionHandles('write to sam@example.nhs.net or @ me')).toEqual([]);
  });

  it('counts each handle once and stops at the mention limit', () => {
    const text = Array.from({ length: 30 }, (_, i) => `@member${i} @member${i}`).join(' ');
    expect(extractMentionHandles(text)).toHaveLength(MAX_MENTIONS);
    expect(extractMentionHandles('@dup @DUP @dup')).toEqual(['dup']);
  });
});
