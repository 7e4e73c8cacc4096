/**
 * Percentages that add up. Rounding each share on its own can make a table read 99.9% or 100.1%;
 * the largest-remainder method (Hamilton's) rounds every share down to the chosen precision and
 * hands the units still missing to the shares that lost the most, so a table's shown percentages sum
 * to exactly 100 whenever anything was counted. Ties for a unit go to the larger count, then to the
 * earlier answer, so the same counts always give the same figures.
 */
export function percentagesThatAddUp(counts: number[], decimals: 0 | 1 = 1): number[] {
  const total = counts.reduce((sum, n) => sum + n, 0);
  if (total <= 0) return counts.map(() => 0);
  const units = 100 * 10 ** decimals;
  // Integer arithmetic throughout: count × units / total as a quotient and a remainder.
  const quotas = counts.map((n, i) => ({ i, n, whole: Math.floor((n * units) / total), rest: (n * units) % total }));
  let missing = units - quotas.reduce((sum, q) => sum + q.whole, 0);
  const order = [...quotas].sort((a, b) => b.rest - a.rest || b.n - a.n || a.i - b.i);
  for (const q of order) {
    if (missing <= 0) break;
    q.whole += 1;
    missing -= 1;
  }
  return quotas.map((q) => q.whole / 10 ** decimals);
}

/** Each count as a share of its own base (rounded half up), for answers that do not add up to one whole. */
export function percentOf(count: number, of: number, decimals: 0 | 1 = 1): number {
  if (of <= 0) return 0;
  const scale = 10 ** decimals;
  return Math.round((count * 100 * scale) / of) / scale;
}

/** "12.5%" with the precision used above, and "—" for nothing to show. */
export function formatPercent(value: number | null | undefined, decimals: 0 | 1 = 1): string {
  return value === null || value === undefined ? '—' : `${value.toFixed(decimals)}%`;
}
