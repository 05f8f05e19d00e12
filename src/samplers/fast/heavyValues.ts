import { sortFloat64 } from './groups.js';

/**
 * The values a sample of the row hits at least twice (tie groups of tens of tokens or more in
 * the whole row), the four most frequent first, into `heavy` (NaN where there are fewer).
 * `seen[0..count)` holds the sampled values; it is sorted in place. Ties in frequency keep
 * the smaller value first. Used by the bracket searches of top-p and typical-p, which treat
 * such a value as one group (its weight times its count) instead of gathering its tokens.
 *
 * @example
 * const heavy = new Float64Array(4);
 * mostFrequentValues(Float64Array.of(2, 1, 2, 3, 1, 2), 6, heavy); // heavy = [2, 1, NaN, NaN]
 */
export function mostFrequentValues(seen: Float64Array, count: number, heavy: Float64Array): void {
  heavy.fill(NaN);
  if (count < 2) return;
  sortFloat64(seen, count);
  RUNS.fill(0);
  for (let i = 0; i < count; ) {
    let j = i + 1;
    while (j < count && seen[j] === seen[i]) j++;
    const run = j - i;
    for (let slot = 0; run >= 2 && slot < 4; slot++) {
      if (run > (RUNS[slot] as number)) {
        for (let k = 3; k > slot; k--) {
          RUNS[k] = RUNS[k - 1] as number;
          heavy[k] = heavy[k - 1] as number;
        }
        RUNS[slot] = run;
        heavy[slot] = seen[i] as number;
        break;
      }
    }
    i = j;
  }
}

/** Run lengths of the four values in `heavy`. */
const RUNS = new Int32Array(4);
