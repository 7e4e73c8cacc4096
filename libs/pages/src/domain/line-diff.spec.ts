import { lineDiff } from './line-diff';

describe('lineDiff', () => {
  it('marks a changed line as removed then added, keeping the lines around it', () => {
    expect(lineDiff('Quorum: 5 members\nMeet monthly', 'Quorum: 4 members\nMeet monthly')).toEqual([
      { kind: 'removed', text: 'Quorum: 5 members' },
      { kind: 'added', text: 'Quorum: 4 members' },
      { kind: 'same', text: 'Meet monthly' },
    ]);
  });

  it('shows lines put in between unchanged ones', () => {
    expect(lineDiff('a\nc', 'a\nb\nc')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'added', text: 'b' },
      { kind: 'same', text: 'c' },
    ]);
  });

  it('reports nothing changed for identical text', () => {
    expect(lineDiff('x\ny', 'x\ny').every((l) => l.kind === 'same')).toBe(true);
  });
});
