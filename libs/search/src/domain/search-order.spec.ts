import { compareHits, decodeSearchCursor, encodeSearchCursor } from './search-order';
import { markSnippet } from './search.types';

describe('search order and cursors', () => {
  it('orders hits by rank descending, then kind, then id, so pages never overlap', () => {
    const hits = [
      { rank: 0.2, kind: 'thread' as const, id: 'b' },
      { rank: 0.5, kind: 'resource' as const, id: 'z' },
      { rank: 0.2, kind: 'event' as const, id: 'c' },
      { rank: 0.2, kind: 'thread' as const, id: 'a' },
    ];
    expect([...hits].sort(compareHits).map((h) => `${h.kind}:${h.id}`)).toEqual([
      'resource:z',
      'event:c',
      'thread:a',
      'thread:b',
    ]);
  });

  it('reads back the position it wrote into a cursor', () => {
    const after = { rank: 0.0759, kind: 'page' as const, id: '0b9c2a5e-1f5d-4a43-9a57-2d7c1c3e1a10' };
    expect(decodeSearchCursor(encodeSearchCursor(after))).toEqual(after);
  });

  it('refuses a cursor naming a kind search does not have, or an overlong id, as a bad request', () => {
    expect(() => decodeSearchCursor(encodeSearchCursor({ rank: 1, kind: 'users' as never, id: 'x' }))).toThrow(
      'cursor is not valid for this list',
    );
    expect(() => decodeSearchCursor(encodeSearchCursor({ rank: 1, kind: 'post', id: 'x'.repeat(65) }))).toThrow(
      'cursor is not valid for this list',
    );
  });

  it('keeps snippets inert: what a user wrote is escaped, only the match markers become <mark>', () => {
    expect(markSnippet('<img src=x onerror=alert(1)> \u0002grief\u0003 & "loss"')).toBe(
      '&lt;img src=x onerror=alert(1)&gt; <mark>grief</mark> &amp; &quot;loss&quot;',
    );
  });
});
