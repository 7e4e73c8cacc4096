import { displayNameProblem } from './display-name';

describe('display names', () => {
  it.each(['Sam Patel', "Siân O'Brien-Ó", '李小龍', 'José', '❤️ Sam', 'Dr. A. Khan (PWP)'])('accepts %p', (name) => {
    expect(displayNameProblem(name)).toBeNull();
  });

  it.each([
    ['zero-width space', 'Platform\u200b Admin', '200B'],
    ['zero-width joiner', 'Platform\u200dAdmin', '200D'],
    ['right-to-left override', 'Sam\u202eniamdA', '202E'],
    ['left-to-right isolate', 'Sam\u2066Admin', '2066'],
    ['right-to-left mark', 'Sam\u200f', '200F'],
    ['Arabic letter mark', 'Sam\u061c', '061C'],
    ['byte order mark', '\ufeffSam', 'FEFF'],
    ['soft hyphen', 'Plat\u00adform', '00AD'],
    ['no-break space', 'Platform\u00a0Admin', '00A0'],
    ['Hangul filler', 'Sam\u3164', '3164'],
    ['tab', 'Sam\tPatel', '0009'],
    ['NUL', 'Sam\u0000', '0000'],
    ['line separator', 'Sam\u2028Patel', '2028'],
  ])('refuses a %s', (_, name, code) => {
    expect(displayNameProblem(name)).toContain(`U+${code}`);
  });
});
