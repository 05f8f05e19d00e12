import { ceilFloat32 } from '../../core/float32.js';
import { minPLogitThreshold } from '../minP.js';
import type { EngineProfile } from '../profiles.js';
import { ORDER_DESCENDING, type FastForm, type FastRow } from './row.js';
import { SelectionMemo, selectTop } from './selectTop.js';

/**
 * Min-p's fast form, for the rules on logits (`logit`, `logit-float32`): the threshold
 * `max + ln p` (`minPLogitThreshold`, the reference's own) is a threshold on current values,
 * so one counting pass and at most one cut. Fewer than `min_keep` survivors: the `min_keep`
 * best, selected as top-k's. The rule on float32 probabilities (transformers, vLLM) sums
 * `Math.exp` in the candidates' order and is not on the fast path.
 *
 * @example
 * fastMinP({ p: 0.05, min_keep: 1 }, getProfile('knobs'));
 */
export function fastMinP({ p, min_keep: minKeep }: { p: number; min_keep: number }, profile: EngineProfile): FastForm {
  const rule = profile.minP;
  if (rule === 'probability-float32') return { reason: 'min_p on float32 probabilities (transformers, vLLM) sums Math.exp in the candidates\' order' };
  // exllamav2 ignores p >= 1 (`minPAboveOne: 'ignored'`): the stage does nothing.
  if (profile.minPAboveOne === 'ignored' && p >= 1) return { name: 'min_p', run: () => true };
  const floor = Math.max(minKeep, 1);
  const memo = new SelectionMemo();
  return {
    name: 'min_p',
    run(row: FastRow): boolean {
      if (p <= 0) return true;
      const threshold = ceilFloat32(minPLogitThreshold(row.max, p, rule));
      row.kernel.args[0] = threshold;
      const kept = row.kernel.countAtLeast(row.n);
      if (kept < floor) {
        if (floor >= row.size) {
          row.order = ORDER_DESCENDING; // the reference sorts them all and keeps them
          return true;
        }
        const count = selectTop(row, floor, false, memo);
        if (count < 0) return row.fail('min_p: min_keep above 4096');
        row.explicitFromSorted(count);
        return true;
      }
      if (kept < row.size) row.keepAtLeast(threshold, kept);
      return true;
    },
  };
}
