/**
 * Small-cell suppression for breakdown tables (rows = groups such as professions, columns = answer
 * options). Published alongside each table: the overall count per option (column totals) and the
 * number of respondents (grand total). A row's total is the number of respondents in that group.
 *
 * Rules, in order:
 * 1. Primary: a cell with 1 ≤ count < threshold is hidden. A group with fewer respondents than the
 *    threshold is hidden entirely (its total and every cell, zeros included: a visible zero beside a
 *    hidden cell would reveal that the small group answered unanimously).
 * 2. Complementary: no row, column, or the column of row totals may have exactly one hidden entry
 *    (it would be the known total minus the shown entries), nor hidden entries that add up to 0
 *    (non-negative counts summing to 0 are all 0); the smallest visible entry, preferring non-zero
 *    ones, is hidden too, until nothing changes.
 * 3. Exact check (see `pinnedEntry`): a hidden entry fixed by the equations and non-negativity even
 *    though every line hides two or more (a "bridge", or a cycle blocked by zeros) gets a neighbour
 *    hidden too.
 * Cells where every respondent of a visible group gave the same answer are flagged `unanimous`.
 */

export interface BreakdownInputRow {
  group: string;
  /** Respondents in the group (who answered this question). */
  total: number;
  /** Count per column, same order as the table's columns. */
  cells: number[];
}

export interface SuppressedCell {
  count: number | null;
  suppressed: boolean;
  unanimous: boolean;
}

export interface SuppressedRow {
  group: string;
  total: number | null;
  totalSuppressed: boolean;
  cells: SuppressedCell[];
}

export function suppressBreakdown(rows: BreakdownInputRow[], threshold: number): SuppressedRow[] {
  // An option nobody chose is public (its overall count is 0): its zeros hide nothing, so the
  // suppression runs without those columns and they are shown as zeros.
  const width = rows[0]?.cells.length ?? 0;
  const kept = Array.from({ length: width }, (_, c) => c).filter((c) => rows.some((row) => row.cells[c] !== 0));
  if (kept.length < width) {
    const reduced = suppressCore(
      rows.map((row) => ({ ...row, cells: kept.map((c) => row.cells[c]) })),
      threshold,
    );
    return reduced.map((row, r) => {
      const cells: SuppressedCell[] = rows[r].cells.map(() => ({ count: 0, suppressed: false, unanimous: false }));
      kept.forEach((c, i) => (cells[c] = row.cells[i]));
      return { ...row, cells };
    });
  }
  return suppressCore(rows, threshold);
}

function suppressCore(rows: BreakdownInputRow[], threshold: number): SuppressedRow[] {
  const R = rows.length;
  const C = R ? rows[0].cells.length : 0;
  const cell: boolean[][] = rows.map((row) => row.cells.map(() => false));
  const total: boolean[] = rows.map(() => false);

  // 1. Primary suppression.
  rows.forEach((row, r) => {
    if (row.total < threshold) {
      total[r] = true;
      cell[r].fill(true);
      return;
    }
    row.cells.forEach((count, c) => {
      if (count >= 1 && count < threshold) cell[r][c] = true;
    });
  });

  /** Picks the smallest visible candidate, non-zero first; returns false when none exists. */
  const hideSmallest = (candidates: Array<{ value: number; hide: () => void }>, nonZero = false): boolean => {
    if (nonZero) candidates = candidates.filter((c) => c.value > 0);
    if (!candidates.length) return false;
    candidates.sort((a, b) => Number(a.value === 0) - Number(b.value === 0) || a.value - b.value);
    candidates[0].hide();
    return true;
  };
  const hideAll = () => {
    total.fill(true);
    cell.forEach((line) => line.fill(true));
  };

  for (let guard = 0; guard < (R + 1) * (C + 1) * 4 + 10; guard += 1) {
    let changed = false;
    // 2a. Rows: the cells plus the row total.
    for (let r = 0; r < R; r += 1) {
      const hidden = cell[r].filter(Boolean).length + (total[r] ? 1 : 0);
      const hiddenSum =
        rows[r].cells.reduce((sum, v, c) => sum + (cell[r][c] ? v : 0), 0) + (total[r] ? rows[r].total : 0);
      const zeroSum = hidden > 0 && hiddenSum === 0;
      if (hidden !== 1 && !zeroSum) continue;
      const candidates = rows[r].cells
        .map((value, c) => ({ value, c }))
        .filter(({ c }) => !cell[r][c])
        .map(({ value, c }) => ({ value, hide: () => (cell[r][c] = true) }));
      if (!total[r]) candidates.push({ value: rows[r].total, hide: () => (total[r] = true) });
      if (hideSmallest(candidates, zeroSum)) changed = true;
      else if (!zeroSum) {
        hideAll();
        changed = true;
      }
    }
    // 2b. Columns (their totals are public).
    for (let c = 0; c < C; c += 1) {
      const hidden = cell.filter((line) => line[c]).length;
      const zeroSum = hidden > 0 && rows.every((row, r) => !cell[r][c] || row.cells[c] === 0);
      if (hidden !== 1 && !zeroSum) continue;
      const candidates = rows
        .map((row, r) => ({ value: row.cells[c], r }))
        .filter(({ r }) => !cell[r][c])
        .map(({ value, r }) => ({ value, hide: () => (cell[r][c] = true) }));
      if (hideSmallest(candidates, zeroSum)) changed = true;
      else if (!zeroSum) {
        hideAll();
        changed = true;
      }
    }
    // 2c. The column of row totals (its total, all respondents, is public).
    if (total.filter(Boolean).length === 1) {
      const candidates = rows
        .map((row, r) => ({ value: row.total, r }))
        .filter(({ r }) => !total[r])
        .map(({ value, r }) => ({ value, hide: () => (total[r] = true) }));
      if (!hideSmallest(candidates)) hideAll();
      changed = true;
    }
    // 3. Exact check: a hidden entry that no consistent change of the hidden entries can move is hidden in vain.
    if (!changed) {
      const pinned = pinnedEntry(rows, cell, total);
      if (pinned) {
        const { r, c } = pinned;
        const candidates: Array<{ value: number; hide: () => void }> = [];
        if (c < C) {
          rows.forEach(
            (row, rr) => !cell[rr][c] && candidates.push({ value: row.cells[c], hide: () => (cell[rr][c] = true) }),
          );
        } else {
          rows.forEach(
            (row, rr) => !total[rr] && candidates.push({ value: row.total, hide: () => (total[rr] = true) }),
          );
        }
        rows[r].cells.forEach(
          (value, cc) => !cell[r][cc] && candidates.push({ value, hide: () => (cell[r][cc] = true) }),
        );
        if (!total[r]) candidates.push({ value: rows[r].total, hide: () => (total[r] = true) });
        if (!hideSmallest(candidates, true)) hideAll();
        changed = true;
      }
    }
    if (!changed) break;
  }

  return rows.map((row, r) => ({
    group: row.group,
    total: total[r] ? null : row.total,
    totalSuppressed: total[r],
    cells: row.cells.map((count, c) => ({
      count: cell[r][c] ? null : count,
      suppressed: cell[r][c],
      unanimous: !cell[r][c] && !total[r] && row.total > 0 && count === row.total,
    })),
  }));
}

/**
 * The table as a flow: each option (column) supplies its public overall count to the groups (rows),
 * each group passes its total on to the sink, which takes all respondents. Hidden entries are the
 * edges whose flow is unknown (column C stands for the row-total edge). A hidden entry can take
 * another value exactly when the residual graph of hidden edges has a cycle through it, so an entry
 * with no such cycle in either direction is derivable. Returns the first such entry, or null.
 */
export function pinnedEntry(
  rows: BreakdownInputRow[],
  cell: boolean[][],
  total: boolean[],
): { r: number; c: number } | null {
  const C = cell[0]?.length ?? 0;
  type Arc = { from: string; to: string; id: number };
  const edges: Array<{ r: number; c: number; from: string; to: string; value: number }> = [];
  cell.forEach((line, r) =>
    line.forEach((hidden, c) => hidden && edges.push({ r, c, from: `c${c}`, to: `r${r}`, value: rows[r].cells[c] })),
  );
  total.forEach((hidden, r) => hidden && edges.push({ r, c: C, from: `r${r}`, to: 'sink', value: rows[r].total }));
  const arcs: Arc[] = [];
  edges.forEach((e, id) => {
    arcs.push({ from: e.from, to: e.to, id });
    if (e.value > 0) arcs.push({ from: e.to, to: e.from, id });
  });
  const path = (start: string, goal: string, skip: number): boolean => {
    const seen = new Set([start]);
    const stack = [start];
    while (stack.length) {
      const node = stack.pop()!;
      if (node === goal) return true;
      for (const arc of arcs) {
        if (arc.id === skip || arc.from !== node || seen.has(arc.to)) continue;
        seen.add(arc.to);
        stack.push(arc.to);
      }
    }
    return false;
  };
  for (let id = 0; id < edges.length; id += 1) {
    const e = edges[id];
    // Increase: push more along e and return through the rest. Decrease: needs e > 0.
    const canIncrease = path(e.to, e.from, id);
    const canDecrease = e.value > 0 && path(e.from, e.to, id);
    if (!canIncrease && !canDecrease) return { r: e.r, c: e.c };
  }
  return null;
}
