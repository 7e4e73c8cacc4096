import { CommonError } from '../errors/domain-error';
import { decodeCursor, encodeCursor, toPage } from './cursor';

describe('keyset cursors', () => {
  it('round-trips the sort values of the last row', () => {
    const cursor = encodeCursor(['2026-11-01T10:00:00.000Z', '0b6c5c7e-8a43-4bb2-9a53-1b8f5b2f6f10']);
    expect(decodeCursor(cursor, ['date', 'uuid'])).toEqual([
      '2026-11-01T10:00:00.000Z',
      '0b6c5c7e-8a43-4bb2-9a53-1b8f5b2f6f10',
    ]);
  });

  it.each([
    ['garbage', 'not base64 json!!'],
    ['the wrong shape', encodeCursor(['2026-11-01T10:00:00.000Z'])],
    ['a non-date', encodeCursor(['yesterday', '0b6c5c7e-8a43-4bb2-9a53-1b8f5b2f6f10'])],
    ['a non-uuid', encodeCursor(['2026-11-01T10:00:00.000Z', "1' OR '1'='1"])],
  ])('rejects %s as a 400, never a 500', (_what, cursor) => {
    expect(() => decodeCursor(cursor, ['date', 'uuid'])).toThrow(CommonError);
  });

  it('returns a next cursor only when there is another page', () => {
    const rows = [{ id: 1 }, { id: 2 }, { id: 3 }];
    expect(toPage(rows, 2, (r) => [r.id])).toEqual({ items: [{ id: 1 }, { id: 2 }], nextCursor: encodeCursor([2]) });
    expect(toPage(rows, 3, (r) => [r.id])).toEqual({ items: rows, nextCursor: null });
  });
});
