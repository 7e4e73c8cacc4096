import { ukDateTime, ukTime, ukTimeRange, ukZoneName } from './uk-time';

describe('UK time wording', () => {
  it('writes the date, 24-hour time and the zone in force', () => {
    expect(ukDateTime(new Date('2026-10-27T10:00:00Z'))).toBe('Tue 27 October 2026, 10:00 GMT');
    expect(ukDateTime(new Date('2026-07-01T09:30:00Z'))).toBe('Wed 1 July 2026, 10:30 BST');
  });

  it('tells the two 01:30s apart on the night the clocks go back', () => {
    // Sunday 25 October 2026: 01:30 BST is 00:30Z, and an hour later it is 01:30 GMT again.
    const first = new Date('2026-10-25T00:30:00Z');
    const second = new Date('2026-10-25T01:30:00Z');
    expect(ukTime(first)).toBe('01:30 BST');
    expect(ukTime(second)).toBe('01:30 GMT');
    expect(ukTimeRange(first, second)).toBe('Sun 25 October 2026, 01:30 BST to 01:30 GMT');
  });

  it('names the zone on each side of the spring change', () => {
    // Sunday 29 March 2026: 00:30 GMT, then the clocks jump from 01:00 GMT to 02:00 BST.
    expect(ukTimeRange(new Date('2026-03-29T00:30:00Z'), new Date('2026-03-29T01:30:00Z'))).toBe(
      'Sun 29 March 2026, 00:30 GMT to 02:30 BST',
    );
    expect(ukZoneName(new Date('2026-03-29T00:59:00Z'))).toBe('GMT');
    expect(ukZoneName(new Date('2026-03-29T01:00:00Z'))).toBe('BST');
  });

  it('writes both dates when an event runs past midnight', () => {
    expect(ukTimeRange(new Date('2026-11-02T22:00:00Z'), new Date('2026-11-03T01:00:00Z'))).toBe(
      'Mon 2 November 2026, 22:00 GMT to Tue 3 November 2026, 01:00 GMT',
    );
  });
});
