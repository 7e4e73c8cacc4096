import { BreakdownInputRow, suppressBreakdown, SuppressedRow } from './suppression';

/** A seeded generator so a failing table can be reproduced. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * What an attacker who sees the published table (shown cells, shown group totals, every option's
 * overall count and the number of respondents) can derive: enumerates every non-negative integer
 * filling of the hidden entries consistent with it, and returns, per hidden entry, the values seen.
 */
function possibleValues(input: BreakdownInputRow[], shown: SuppressedRow[]): Map<string, Set<number>> {
  const C = input[0].cells.length;
  const columnTotals = Array.from({ length: C }, (_, c) => input.reduce((sum, row) => sum + row.cells[c], 0));
  const grand = input.reduce((sum, row) => sum + row.total, 0);
  const seen = new Map<string, Set<number>>();
  const hidden: Array<{ r: number; c: number }> = [];
  shown.forEach((row, r) => {
    row.cells.forEach((cell, c) => cell.suppressed && hidden.push({ r, c }));
    if (row.totalSuppressed) seen.set(`${r}:total`, new Set());
  });
  hidden.forEach(({ r, c }) => seen.set(`${r}:${c}`, new Set()));
  const values = shown.map((row) => row.cells.map((cell) => cell.count ?? 0));
  const done = () => [...seen.values()].every((s) => s.size >= 2);
  let steps = 0;

  const check = () => {
    for (let c = 0; c < C; c += 1) {
      if (values.reduce((sum, line) => sum + line[c], 0) !== columnTotals[c]) return;
    }
    const totals = shown.map((row, r) => values[r].reduce((a, b) => a + b, 0));
    if (shown.some((row, r) => !row.totalSuppressed && totals[r] !== row.total)) return;
    if (totals.reduce((a, b) => a + b, 0) !== grand) return;
    hidden.forEach(({ r, c }) => seen.get(`${r}:${c}`)!.add(values[r][c]));
    shown.forEach((row, r) => row.totalSuppressed && seen.get(`${r}:total`)!.add(totals[r]));
  };
  const fill = (i: number) => {
    if (done() || ++steps > 2_000_000) return;
    if (i === hidden.length) return check();
    const { r, c } = hidden[i];
    const used = values.reduce((sum, line, rr) => sum + (rr === r ? 0 : line[c]), 0);
    for (let v = 0; v <= columnTotals[c] - used; v += 1) {
      values[r][c] = v;
      fill(i + 1);
    }
    values[r][c] = 0;
  };
  fill(0);
  return seen;
}

/** A single-choice breakdown: each respondent in a group picks exactly one option. */
function randomTable(next: () => number, groups: number, options: number): BreakdownInputRow[] {
  return Array.from({ length: groups }, (_, g) => {
    const size = 1 + Math.floor(next() * (next() < 0.5 ? 6 : 16));
    const cells = Array.from({ length: options }, () => 0);
    for (let i = 0; i < size; i += 1) {
      // Skewed choices make small and zero cells common.
      const pick = Math.min(options - 1, Math.floor(next() ** 2 * options));
      cells[pick] += 1;
    }
    return { group: `g${g}`, total: size, cells };
  });
}

describe('breakdown suppression', () => {
  it('hides a small group entirely and protects the cells and totals that would reveal it', () => {
    const result = suppressBreakdown(
      [
        { group: 'PWP', total: 20, cells: [12, 8] },
        { group: 'MHWP', total: 3, cells: [2, 1] },
        { group: 'CYWP', total: 9, cells: [6, 3] },
      ],
      5,
    );
    expect(result[0]).toEqual({
      group: 'PWP',
      total: 20,
      totalSuppressed: false,
      cells: [
        { count: 12, suppressed: false, unanimous: false },
        { count: 8, suppressed: false, unanimous: false },
      ],
    });
    // MHWP (3 < 5) is hidden; CYWP's 3 is hidden; then CYWP's 6 (row), CYWP's total (totals column).
    expect(result[1]).toMatchObject({ total: null, totalSuppressed: true, cells: [{ count: null }, { count: null }] });
    expect(result[2]).toMatchObject({ total: null, totalSuppressed: true, cells: [{ count: null }, { count: null }] });
  });

  it('leaves large cells and zeros in large groups visible, and flags a unanimous group', () => {
    const result = suppressBreakdown(
      [
        { group: 'PWP', total: 12, cells: [12, 0] },
        { group: 'EMHP', total: 10, cells: [5, 5] },
      ],
      5,
    );
    expect(result[0].cells).toEqual([
      { count: 12, suppressed: false, unanimous: true },
      { count: 0, suppressed: false, unanimous: false },
    ]);
    expect(result[1].cells.every((c) => !c.suppressed && !c.unanimous)).toBe(true);
  });

  it('never shows a count below the threshold', () => {
    const next = random(7);
    for (let t = 0; t < 300; t += 1) {
      const threshold = 2 + Math.floor(next() * 5);
      const table = randomTable(next, 2 + Math.floor(next() * 4), 2 + Math.floor(next() * 4));
      for (const row of suppressBreakdown(table, threshold)) {
        if (row.total !== null) expect(row.total).toBeGreaterThanOrEqual(threshold);
        for (const cell of row.cells) {
          if (cell.count !== null) expect(cell.count === 0 || cell.count >= threshold).toBe(true);
        }
      }
    }
  });

  it('leaves no hidden value derivable from the shown cells, group totals and overall counts', () => {
    const next = random(42);
    let tablesWithHiddenCells = 0;
    for (let t = 0; t < Number(process.env.SUPPRESSION_TABLES ?? 150); t += 1) {
      const table = randomTable(next, 2 + Math.floor(next() * 2), 2 + Math.floor(next() * 2));
      const shown = suppressBreakdown(table, 5);
      const possible = possibleValues(table, shown);
      if (possible.size) tablesWithHiddenCells += 1;
      for (const [entry, values] of possible) {
        if (values.size < 2) {
          throw new Error(`hidden ${entry} is derivable in ${JSON.stringify(table)}: ${JSON.stringify(shown)}`);
        }
      }
    }
    expect(tablesWithHiddenCells).toBeGreaterThan(50);
  });
});
