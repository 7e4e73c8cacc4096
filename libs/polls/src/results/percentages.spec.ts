import fc from 'fast-check';
import { formatPercent, percentagesThatAddUp } from './percentages';

/** Sum in whole units of the precision, so floating-point noise cannot hide an error or make one. */
const units = (values: number[], decimals: 0 | 1) => values.reduce((sum, v) => sum + Math.round(v * 10 ** decimals), 0);

describe('percentages that add up (largest remainder)', () => {
  it('gives 33.3, 33.3 and 33.4 for three equal counts, not 33.3 three times', () => {
    expect(percentagesThatAddUp([1, 1, 1])).toEqual([33.4, 33.3, 33.3]);
    expect(percentagesThatAddUp([1, 1, 1], 0)).toEqual([34, 33, 33]);
  });

  it('hands the missing unit to the share that lost the most when rounded down', () => {
    // 2/7 = 28.571…, 2/7, 3/7 = 42.857…: floors 28.5 + 28.5 + 42.8 = 99.8; remainders .71, .71, .57.
    expect(percentagesThatAddUp([2, 2, 3])).toEqual([28.6, 28.6, 42.8]);
    expect(percentagesThatAddUp([0, 5, 0])).toEqual([0, 100, 0]);
  });

  it('shows 0 for every answer when nothing was counted', () => {
    expect(percentagesThatAddUp([0, 0, 0])).toEqual([0, 0, 0]);
    expect(percentagesThatAddUp([])).toEqual([]);
  });

  it('always sums to exactly 100.0 (one decimal) or 100 (whole numbers), stays within one unit of the exact share, and keeps 0 at 0', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 100_000 }), { minLength: 1, maxLength: 12 }).filter((c) => c.some((n) => n > 0)),
        fc.constantFrom<0 | 1>(0, 1),
        (counts, decimals) => {
          const shown = percentagesThatAddUp(counts, decimals);
          const total = counts.reduce((a, b) => a + b, 0);
          expect(units(shown, decimals)).toBe(100 * 10 ** decimals);
          // What a reader adds up from the printed figures is 100 too.
          const printed = shown.map((p) => Number(formatPercent(p, decimals).replace('%', '')));
          expect(units(printed, decimals)).toBe(100 * 10 ** decimals);
          counts.forEach((n, i) => {
            const exact = (n * 100) / total;
            expect(Math.abs(shown[i] - exact)).toBeLessThan(10 ** -decimals + 1e-9);
            if (n === 0) expect(shown[i]).toBe(0);
          });
        },
      ),
      { numRuns: 2000 },
    );
  });
});
