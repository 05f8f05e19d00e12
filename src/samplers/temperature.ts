import { checkAtLeast } from '../core/validate.js';
import type { Candidates } from './candidates.js';
import type { Sampler } from './sampler.js';

/**
 * Temperature: divides every live logit by `t`, relative to the maximum (`(l - max) / t`,
 * stored as float32; a constant shift leaves the distribution unchanged). `t = 1` is neutral.
 * `t = 0` is greedy: only the first maximum (lowest id among ties) is kept, the limit of
 * `softmax(l / t)` as t → 0+. Rejects t < 0 and non-finite t.
 * Follows llama.cpp (`llama_sampler_temp`: t ≤ 0 keeps the maximum) for t = 0.
 *
 * @example
 * createSampler([{ temperature: 0.5 }]).distribution(new Float32Array([2, 1.5, 1, 0.5, 0]))[0]; // ≈ 0.6364
 */
export function temperatureSampler(t: number): Sampler {
  checkAtLeast('temperature.t', t, 0);
  return {
    name: 'temperature',
    apply(candidates: Candidates): void {
      if (t === 1) return;
      if (t === 0) {
        candidates.keepOnly(candidates.argmaxPosition());
        return;
      }
      // Scaled relative to the maximum, (l - max) / t, which leaves the distribution
      // unchanged and cannot produce NaN; a t so small that 1 / t overflows is greedy.
      const inverse = 1 / t;
      if (!Number.isFinite(inverse)) {
        candidates.keepOnly(candidates.argmaxPosition());
        return;
      }
      const logits = candidates.logits;
      const ids = candidates.ids;
      const max = candidates.maxLogit();
      for (let i = 0; i < candidates.size; i++) {
        const id = ids[i] as number;
        const shifted = (logits[id] as number) - max;
        logits[id] = shifted === 0 ? 0 : shifted * inverse;
      }
    },
  };
}
