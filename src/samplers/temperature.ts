import { checkAtLeast } from '../core/validate.js';
import type { Candidates } from './candidates.js';
import type { Sampler } from './sampler.js';

/**
 * Temperature: divides every live logit by `t` (stored as float32). `t = 1` is neutral.
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
      const logits = candidates.logits;
      const ids = candidates.ids;
      const inverse = 1 / t;
      for (let i = 0; i < candidates.size; i++) {
        const id = ids[i] as number;
        logits[id] = (logits[id] as number) * inverse;
      }
    },
  };
}
