import { checkInteger } from '../core/validate.js';
import type { Candidates } from './candidates.js';
import { checkCutoff, keepAtLeastProbability } from './epsilon.js';
import type { Sampler } from './sampler.js';
import { liveEntropy } from './selection.js';

/**
 * Eta sampling (Hewitt et al. 2022, "Truncation Sampling as Language Model Desmoothing"):
 * an entropy-adaptive epsilon. With H the entropy of the live distribution in nats, the
 * cutoff is `η = min(ε, √ε · e^(−H))`, and tokens with `p_i < η` are removed (strict: a token
 * exactly at η stays). High entropy (a flat distribution) lowers the cutoff. The `min_keep`
 * most likely tokens always stay, with every token tied with the `min_keep`-th. `ε = 0` is
 * neutral; ε must be below 1. Follows transformers' `EtaLogitsWarper` (`eta_cutoff`); with
 * `float32`, its float32 arithmetic.
 *
 * @example
 * // transformers' test: {0.01, 0.04, 0.9, 0.05} at ε = 0.0625 keeps only 0.9
 * createSampler([{ eta: 0.0625 }], { engine: 'hf' }).distribution(Float32Array.from([0.01, 0.04, 0.9, 0.05], Math.log));
 */
export function etaSampler(epsilon: number, minKeep = 1, float32 = false): Sampler {
  checkCutoff('eta.eta', epsilon);
  checkInteger('eta.min_keep', minKeep, 0);
  const round = float32 ? Math.fround : (x: number): number => x;
  return {
    name: 'eta',
    apply(candidates: Candidates): void {
      if (epsilon <= 0) return;
      const entropy = liveEntropy(candidates);
      const e = round(epsilon);
      const eta = Math.min(e, round(round(Math.sqrt(e)) * round(Math.exp(-round(entropy)))));
      keepAtLeastProbability(candidates, eta, minKeep, float32);
    },
  };
}
