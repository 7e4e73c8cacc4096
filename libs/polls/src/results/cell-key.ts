/**
 * Consistent perturbation of published counts (the cell key method of the Office for National
 * Statistics, Census 2021).
 *
 * Every sealed anonymous ballot carries a random record key in 0 … N−1, inside its ciphertext. A cell
 * (the ballots counted by one published number) has the key Σ record keys mod N, so the same ballots
 * always give the same key, and the same count shown in two tables is moved by the same amount. The
 * fixed perturbation table below turns (cell key, count) into a noise in −2 … +2; the published count
 * is the true one plus that noise, clamped to [0, the row's base]. An empty cell has no records, so its
 * key is taken from its row's ballots and its column: zeros are moved too, and "did not choose" is
 * never exact.
 *
 * Clamping keeps every published 0 reachable from true 0, 1 and 2, and every published base from the
 * base and the two values below it (a noise of +1 or +2 has probability 0.2 and 0.05 for every count),
 * so no published value pins a cell to 0 or to its base.
 */
export const RECORD_KEY_RANGE = 256;
export const MAX_NOISE = 2;

/** Noise per key: −2 (13 keys), −1 (51), 0 (128), +1 (51), +2 (13); mean 0, variance ≈ 0.8. */
const NOISE_BY_KEY: readonly number[] = Array.from({ length: RECORD_KEY_RANGE }, (_, key) => {
  if (key < 13) return -2;
  if (key < 64) return -1;
  if (key < 192) return 0;
  if (key < 243) return 1;
  return 2;
});

/** Share of keys that give each noise (for the documentation and the tests). */
export const NOISE_DISTRIBUTION: Record<number, number> = {
  [-2]: 13 / 256,
  [-1]: 51 / 256,
  0: 128 / 256,
  1: 51 / 256,
  2: 13 / 256,
};

/** The perturbation table: a fixed function of (cell key, count). The count spreads the keys so equal keys of different counts do not move together. */
export function noiseFor(cellKey: number, count: number): number {
  const key = (((cellKey + 97 * (count % 11)) % RECORD_KEY_RANGE) + RECORD_KEY_RANGE) % RECORD_KEY_RANGE;
  return NOISE_BY_KEY[key];
}

/** Σ keys mod N. */
export function sumKeys(keys: Iterable<number>): number {
  let sum = 0;
  for (const key of keys) sum = (sum + key) % RECORD_KEY_RANGE;
  return sum;
}

/**
 * The key of a cell: the sum of its ballots' record keys; for an empty cell, one taken from its row's
 * ballots and the column (the same row and column always give the same key).
 */
export function cellKey(cellRecordKeys: number[], rowRecordKeys: number[], column: number): number {
  if (cellRecordKeys.length) return sumKeys(cellRecordKeys);
  return (3 * sumKeys(rowRecordKeys) + 101 * (column + 1) + 1) % RECORD_KEY_RANGE;
}

/** The published count: true count plus the cell's noise, clamped to [0, base]. */
export function perturb(count: number, key: number, base: number): number {
  return Math.max(0, Math.min(Math.max(0, base), count + noiseFor(key, count)));
}
