import { inputProblem, outOfRangeInteger } from './input-check';

describe('input checks', () => {
  it('refuses control characters in values and keys, keeping tab, line feed and carriage return', () => {
    expect(inputProblem({ body: 'a\tb\r\nc' }, 'body')).toBeNull();
    expect(inputProblem({ title: 'a\u0000b' }, 'body')).toMatch(/body\.title contains a control character \(U\+0000\)/);
    expect(inputProblem({ list: ['ok', 'bad\u0085'] }, 'body')).toMatch(/body\.list\[1\].*U\+0085/);
    expect(inputProblem({ ['k\u0001']: 1 }, 'body')).toMatch(/field name/);
  });

  it('refuses nesting deeper than the limit without recursing', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(inputProblem(deep, 'body')).toMatch(/nested too deeply/);
    let ok: unknown = 1;
    for (let i = 0; i < 32; i += 1) ok = { a: ok };
    expect(inputProblem(ok, 'body')).toBeNull();
  });

  it('finds integers outside PostgreSQL integer range', () => {
    expect(outOfRangeInteger({ version: 2_147_483_647, cpdHours: 1.5 }, 'body')).toBeNull();
    expect(outOfRangeInteger({ version: 99_999_999_999 }, 'body')).toMatch(/body\.version is out of range/);
    expect(outOfRangeInteger(-2_147_483_649, 'n')).toMatch(/n is out of range/);
    expect(outOfRangeInteger(new Date(), 'when')).toBeNull();
  });

  it('refuses integers beyond that range anywhere in parsed JSON, keeping fractions and in-range values', () => {
    expect(inputProblem({ capacity: 2_147_483_647, cpdHours: 1.5, offsets: [-2_147_483_648] }, 'body')).toBeNull();
    expect(inputProblem({ name: 99_999_999_999 }, 'body')).toMatch(/body\.name is out of range/);
    expect(inputProblem({ answers: [{ value: 1e308 }] }, 'body')).toMatch(/body\.answers\[0\]\.value is out of range/);
    expect(inputProblem([-(2 ** 63)], 'body')).toMatch(/out of range/);
  });
});
