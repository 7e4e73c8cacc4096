/**
 * Ranked-choice counting. A ballot is a list of option ids in order of preference (first = most
 * preferred); it may rank only some options. Both methods are pure so they can be checked against
 * examples worked by hand.
 */

export interface RunoffRound {
  /** Votes per continuing option in this round. */
  counts: Record<string, number>;
  /** Ballots with no continuing option left. */
  exhausted: number;
  /** Options eliminated at the end of this round (more than one only after an unbreakable tie). */
  eliminated: string[];
}

export interface RunoffResult {
  rounds: RunoffRound[];
  /** One winner, or several when the final tie cannot be broken. Empty when there were no ballots. */
  winners: string[];
  /** How the last elimination tie (if any) was settled: 'previous_rounds' | 'borda' | 'shared'. */
  tieBreaks: Array<{ round: number; tied: string[]; by: 'previous_rounds' | 'borda' | 'eliminated_together' }>;
}

export interface BordaResult {
  /** Points per option, options in the given order. */
  points: Record<string, number>;
  /** Options ordered by points (highest first); equal points keep the given option order. */
  ranking: Array<{ optionId: string; points: number; place: number }>;
  winners: string[];
}

/**
 * Borda count: with n options, a ballot gives n−1 points to its first choice, n−2 to its second, …,
 * and 0 to options it does not rank. Equal points share a place.
 */
export function bordaCount(options: string[], ballots: string[][]): BordaResult {
  const n = options.length;
  const points: Record<string, number> = Object.fromEntries(options.map((o) => [o, 0]));
  for (const ballot of ballots) {
    ballot.forEach((optionId, index) => {
      if (optionId in points) points[optionId] += n - 1 - index;
    });
  }
  const sorted = options
    .map((optionId, order) => ({ optionId, points: points[optionId], order }))
    .sort((a, b) => b.points - a.points || a.order - b.order);
  const ranking = sorted.map((entry) => ({
    optionId: entry.optionId,
    points: entry.points,
    place: 1 + sorted.filter((other) => other.points > entry.points).length,
  }));
  const top = ranking[0]?.points ?? 0;
  return {
    points,
    ranking,
    winners: ballots.length ? ranking.filter((r) => r.points === top).map((r) => r.optionId) : [],
  };
}

/**
 * Instant-runoff: each round counts every ballot for its highest-ranked continuing option; an option
 * with more than half of the continuing (non-exhausted) ballots wins; otherwise the option with the
 * fewest votes is eliminated. A tie for fewest is broken by fewer votes in the most recent earlier
 * round where the tied options differed, then by lower Borda points; if still tied, the tied options
 * are eliminated together, unless that would eliminate every continuing option — then they share
 * the win.
 */
export function instantRunoff(options: string[], ballots: string[][]): RunoffResult {
  const rounds: RunoffRound[] = [];
  const tieBreaks: RunoffResult['tieBreaks'] = [];
  if (!ballots.length || !options.length) return { rounds, winners: [], tieBreaks };
  const borda = bordaCount(options, ballots).points;
  const continuing = new Set(options);
  for (;;) {
    const counts: Record<string, number> = Object.fromEntries([...continuing].map((o) => [o, 0]));
    let exhausted = 0;
    for (const ballot of ballots) {
      const choice = ballot.find((o) => continuing.has(o));
      if (choice === undefined) exhausted += 1;
      else counts[choice] += 1;
    }
    const round: RunoffRound = { counts, exhausted, eliminated: [] };
    rounds.push(round);
    const active = ballots.length - exhausted;
    const leaders = [...continuing].filter((o) => counts[o] * 2 > active);
    if (leaders.length === 1) return { rounds, winners: leaders, tieBreaks };
    if (continuing.size === 1) return { rounds, winners: [...continuing], tieBreaks };

    const fewest = Math.min(...[...continuing].map((o) => counts[o]));
    let tied = [...continuing].filter((o) => counts[o] === fewest);
    if (tied.length === continuing.size) {
      // Every continuing option has the same count: try to break it, else they share the win.
      const broken = breakTie(tied, rounds, borda);
      if (broken.remaining.length === tied.length) return { rounds, winners: tied, tieBreaks };
      tieBreaks.push({ round: rounds.length, tied, by: broken.by });
      tied = broken.remaining;
    } else if (tied.length > 1) {
      const broken = breakTie(tied, rounds, borda);
      tieBreaks.push({
        round: rounds.length,
        tied,
        by: broken.remaining.length > 1 ? 'eliminated_together' : broken.by,
      });
      tied = broken.remaining;
    }
    for (const o of tied) continuing.delete(o);
    round.eliminated = tied;
    if (continuing.size === 0) return { rounds, winners: tied, tieBreaks };
  }
}

/** Narrows a tie for elimination to the options that remain tied after each rule. */
function breakTie(
  tied: string[],
  rounds: RunoffRound[],
  borda: Record<string, number>,
): { remaining: string[]; by: 'previous_rounds' | 'borda' } {
  for (let r = rounds.length - 2; r >= 0; r -= 1) {
    const counts = rounds[r].counts;
    const least = Math.min(...tied.map((o) => counts[o] ?? 0));
    const narrowed = tied.filter((o) => (counts[o] ?? 0) === least);
    if (narrowed.length < tied.length) return { remaining: narrowed, by: 'previous_rounds' };
  }
  const least = Math.min(...tied.map((o) => borda[o]));
  return { remaining: tied.filter((o) => borda[o] === least), by: 'borda' };
}

/**
 * How ranked questions are counted, in plain words: the one text the results page, results.csv, the
 * printable summary and the council report all show, so that they can never describe it differently.
 * It says what `instantRunoff` and `bordaCount` above do.
 */
export const RANKED_RULES =
  'Ranked questions are counted in two ways. ' +
  'Instant runoff: in each round, every ballot counts for its highest-ranked option still in the count; an option with more than half of those ballots wins. ' +
  'Otherwise the option with the fewest votes is eliminated and its ballots pass to their next choice; ballots with no choice left are set aside. ' +
  'A tie for fewest votes is broken by fewer votes in the most recent earlier round in which the tied options differed, then by fewer Borda points; options still tied are eliminated together, and if that would eliminate every option left, they share the win. ' +
  'Borda count: with n options, a first choice earns n-1 points, a second choice n-2, and so on down to 0 for last place; options a ballot leaves unranked earn 0. Options with equal points share a place. ' +
  'The table shows first choices only.';
