import { exp32Weights } from '../core/exp.js';
import type { Candidates } from './candidates.js';

/**
 * `drawToken`'s cumulative weights for one set of candidates, built once, for many draws:
 * the live ids ascending, weights `exp32(logit − max)`, their float64 running sums in that
 * order (exactly `drawToken`'s), and `draw(u)` returns the first id whose running sum
 * exceeds u × total (the last one if none does) by binary search — the token `drawToken`
 * returns for the same u, in O(log size) instead of O(size).
 *
 * @example
 * const table = new DrawTable(); table.build(candidates);
 * table.draw(rng.nextFloat()); // drawToken(candidates, rng) for that uniform
 */
export class DrawTable {
  /** Live ids, ascending. */
  ids = new Int32Array(0);
  /** Running weight sums, aligned with `ids`. */
  cumulative = new Float64Array(0);
  size = 0;

  /** Builds the table from the candidates (sorts them by id, as `drawToken` does). */
  build(candidates: Candidates): void {
    candidates.sortById();
    const size = candidates.size;
    if (this.ids.length < size) {
      this.ids = new Int32Array(size);
      this.cumulative = new Float64Array(size);
    }
    this.ids.set(candidates.ids.subarray(0, size));
    const logits = candidates.logits;
    let max = -Infinity;
    for (let i = 0; i < size; i++) max = Math.max(max, logits[this.ids[i] as number] as number);
    const cumulative = this.cumulative;
    exp32Weights(logits, this.ids, size, max, cumulative);
    let running = 0;
    for (let i = 0; i < size; i++) {
      running += cumulative[i] as number;
      cumulative[i] = running;
    }
    this.size = size;
  }

  /** The id drawn for the uniform `u` in [0, 1) (a single candidate needs no uniform: see `drawToken`). */
  draw(u: number): number {
    const size = this.size;
    const cumulative = this.cumulative;
    const target = u * (cumulative[size - 1] as number);
    let low = 0;
    let high = size; // the first index whose running sum exceeds the target, or size
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((cumulative[middle] as number) > target) high = middle;
      else low = middle + 1;
    }
    return this.ids[Math.min(low, size - 1)] as number;
  }
}
