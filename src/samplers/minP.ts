import { checkInteger, checkRange } from '../core/validate.js';
import type { Candidates } from './candidates.js';
import type { Sampler } from './sampler.js';

/**
 * Min-p (Nguyen et al. 2024): keeps every token whose probability is at least
 * `p × (probability of the most likely token)` — inclusive, so ties at the threshold are
 * kept. Computed on logits as `logit ≥ max_logit + ln p`, without exponentials, as
 * llama.cpp does. `p = 0` is neutral; `p = 1` keeps the tokens tied with the maximum.
 * If fewer than `min_keep` tokens pass, the `min_keep` most likely are kept.
 *
 * @example
 * createSampler([{ min_p: 0.5 }]).distribution(new Float32Array([Math.log(4), Math.log(2), Math.log(1)]));
 * // keeps the first two (1/4 < 0.5)
 */
export function minPSampler(p: number, minKeep = 1): Sampler {
  checkRange('min_p.p', p, 0, 1);
  checkInteger('min_p.min_keep', minKeep, 0);
  return {
    name: 'min_p',
    apply(candidates: Candidates): void {
      if (p <= 0) return;
      const threshold = candidates.maxLogit() + Math.log(p);
      const logits = candidates.logits;
      const ids = candidates.ids;
      const size = candidates.size;
      let kept = 0;
      for (let i = 0; i < size; i++) if ((logits[ids[i] as number] as number) >= threshold) kept++;
      if (kept < minKeep) {
        candidates.partialSortDescending(minKeep);
        candidates.truncate(minKeep);
        return;
      }
      // Compact in place, preserving the current order.
      let write = 0;
      for (let i = 0; i < size; i++) {
        const id = ids[i] as number;
        if ((logits[id] as number) >= threshold) ids[write++] = id;
      }
      candidates.size = write;
    },
  };
}
