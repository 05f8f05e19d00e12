import { InvalidParameterError } from '../core/errors.js';
import { checkInteger } from '../core/validate.js';
import type { Candidates } from './candidates.js';
import type { Sampler } from './sampler.js';

/**
 * Epsilon sampling (Hewitt et al. 2022, "Truncation Sampling as Language Model
 * Desmoothing"): keeps the tokens whose probability is at least ε — removes `p_i < ε`
 * (strict, so a token exactly at ε stays). The `min_keep` (at least 1) most likely tokens stay,
 * together with every token tied with the `min_keep`-th (transformers keeps
 * `scores >= topk(scores, min_keep)[-1]`). `ε = 0` is neutral; ε must be below 1.
 * Follows transformers' `EpsilonLogitsWarper`; with `float32`, its float32 softmax and
 * comparison (`generate` skips the warper for ε = 0, which we treat as disabled).
 *
 * @example
 * // transformers' test: {0.87, 0.099, 0.001, 0.03} at ε = 0.1 keeps only 0.87
 * createSampler([{ epsilon: 0.1 }], { engine: 'hf' }).distribution(Float32Array.from([0.87, 0.099, 0.001, 0.03], Math.log));
 */
export function epsilonSampler(epsilon: number, minKeep = 1, float32 = false): Sampler {
  checkCutoff('epsilon.epsilon', epsilon);
  checkInteger('epsilon.min_keep', minKeep, 0);
  return {
    name: 'epsilon',
    apply(candidates: Candidates): void {
      if (epsilon <= 0) return;
      keepAtLeastProbability(candidates, float32 ? Math.fround(epsilon) : epsilon, minKeep, float32);
    },
  };
}

/** Asserts a truncation cutoff is in [0, 1) (0 disables). */
export function checkCutoff(parameter: string, value: unknown): void {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new InvalidParameterError(parameter, value, 'a number in [0, 1) (0 disables)');
  }
}

/**
 * Keeps tokens with probability `>= cutoff`, plus the `minKeep` most likely and every token
 * tied with the `minKeep`-th by logit. Probabilities are the softmax of the live logits,
 * rounded to float32 when asked.
 */
export function keepAtLeastProbability(candidates: Candidates, cutoff: number, minKeep: number, float32: boolean): void {
  const logits = candidates.logits;
  const ids = candidates.ids;
  const size = candidates.size;
  const max = candidates.maxLogit();
  let sum = 0;
  for (let i = 0; i < size; i++) sum += Math.exp((logits[ids[i] as number] as number) - max);
  const k = Math.min(Math.max(minKeep, 1), size); // the most likely token always stays
  candidates.partialSortDescending(k);
  const floor = logits[ids[k - 1] as number] as number;
  let write = 0;
  for (let i = 0; i < size; i++) {
    const id = ids[i] as number;
    const logit = logits[id] as number;
    const q = Math.exp(logit - max) / sum;
    if ((float32 ? Math.fround(q) : q) >= cutoff || logit >= floor) ids[write++] = id;
  }
  candidates.size = write; // compaction keeps whatever order the candidates had
}
