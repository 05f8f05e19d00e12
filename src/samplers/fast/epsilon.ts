import { exp32 } from '../../core/exp.js';
import { ExactSum } from '../../core/exactSum.js';
import { floatKey, keyFloat } from '../../core/float32.js';
import { BIN_COUNT } from '../../kernel/kernel.js';
import { massThreshold } from '../cumulativeMass.js';
import type { MassCutoff } from '../epsilon.js';
import type { EngineProfile } from '../profiles.js';
import type { FastForm, FastRow } from './row.js';
import { SelectionMemo, selectTop } from './selectTop.js';

/**
 * The fast form of epsilon and eta (the exact rules: a token stays when its weight is at
 * least `cutoff` times the exact total, or it is among the `min_keep` most likely, with their
 * ties). Both criteria are thresholds on values, so the row keeps every value at or above
 * the lower of the two: from the groups when the row has few distinct values (exact sums per
 * group), else — epsilon only — from exact sums of the weights (one pass, `Kernel.exactBins`)
 * and a bisection on float32 values for the weight threshold. transformers' float32 rule sums
 * `Math.exp` in the candidates' order and is not on the fast path.
 *
 * @example
 * fastCutoff('epsilon', () => 3e-4, 1, getProfile('knobs'));
 */
export function fastCutoff(name: string, cutoff: MassCutoff, minKeep: number, profile: EngineProfile, disabled: boolean): FastForm {
  if (profile.cutoffFloat32) return { reason: "transformers' float32 rule sums Math.exp in the candidates' order" };
  const memo = new SelectionMemo();
  const floorRank = Math.max(minKeep, 1);
  return {
    name,
    run(row: FastRow): boolean {
      if (disabled) return true;
      const max = row.max;
      let threshold: number; // the lowest value whose weight reaches the cutoff
      if (row.buildGroups()) {
        const groups = row.groups;
        TOTAL.clear();
        MOMENT.clear();
        for (let g = 0; g < groups.count; g++) {
          const mass = (groups.counts[g] as number) * exp32((groups.values[g] as number) - max);
          TOTAL.add(mass);
          if (cutoff.moment) MOMENT.addProduct(mass, groups.values[g] as number);
        }
        const w = massThreshold(cutoff(TOTAL, MOMENT, max), TOTAL);
        threshold = Infinity;
        for (let g = 0; g < groups.count && exp32((groups.values[g] as number) - max) >= w; g++) threshold = groups.values[g] as number;
      } else {
        if (cutoff.moment) return row.fail(`${name}: its entropy needs exact sums of w·v on a row of mostly distinct values`);
        row.ensureWeights();
        row.kernel.args[0] = 0;
        row.kernel.args[1] = -Infinity;
        row.kernel.args[2] = Infinity;
        row.kernel.exactBins(row.n);
        TOTAL.clear();
        TOTAL.addAll(row.kernel.bins, BIN_COUNT);
        threshold = lowestReaching(massThreshold(cutoff(TOTAL, MOMENT, max), TOTAL), max);
      }
      // The min_keep-th most likely value (ties with it stay too).
      let floor = max;
      if (floorRank > 1) {
        const count = selectTop(row, floorRank, false, memo);
        if (count < 0) return row.fail(`${name}: min_keep above 4096`);
        floor = row.values()[row.kernel.ids[Math.min(count, floorRank) - 1] as number] as number;
      }
      const lowest = Math.min(threshold, floor);
      row.kernel.args[0] = lowest;
      const kept = row.kernel.countAtLeast(row.n);
      if (kept < row.size) row.keepAtLeast(lowest, kept);
      return true;
    },
  };
}

const TOTAL = new ExactSum();
const MOMENT = new ExactSum();

/** The smallest float32 v ≤ max with exp32(v − max) ≥ w (exp32 is monotone), or +Infinity. */
function lowestReaching(w: number, max: number): number {
  if (!(exp32(0) >= w)) return Infinity;
  let lo = floatKey(-Infinity);
  let hi = floatKey(max);
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (exp32(keyFloat(mid) - max) >= w) hi = mid;
    else lo = mid + 1;
  }
  return keyFloat(hi);
}
