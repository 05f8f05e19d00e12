import { exp32 } from '../core/exp.js';
import { ExactSum } from '../core/exactSum.js';
import type { Candidates } from './candidates.js';
import { massThreshold } from './cumulativeMass.js';
import { fastCutoff } from './fast/epsilon.js';
import { checkParameter, defineSampler, MIN_KEEP, type ParameterSpec } from './definition.js';
import type { EngineProfile } from './profiles.js';
import type { Sampler } from './sampler.js';

/**
 * Epsilon sampling (Hewitt et al. 2022, "Truncation Sampling as Language Model
 * Desmoothing"): keeps the tokens whose probability is at least ε — removes `p_i < ε`
 * (strict, so a token exactly at ε stays). The `min_keep` (at least 1) most likely tokens stay,
 * together with every token tied with the `min_keep`-th (transformers keeps
 * `scores >= topk(scores, min_keep)[-1]`). `ε = 0` is neutral; ε must be below 1.
 * Follows transformers' `EpsilonLogitsWarper`; under its profile (`profile.cutoffFloat32`), its float32 softmax and
 * comparison (`generate` skips the warper for ε = 0, which we treat as disabled). Under the
 * other profiles the probability is exact: with `w = exp32(l − max)`, a token stays when
 * `w ≥ ε · Σw` exactly (`massThreshold`), whatever the order of the sum.
 *
 * @example
 * // transformers' test: {0.87, 0.099, 0.001, 0.03} at ε = 0.1 keeps only 0.87
 * createSampler([{ epsilon: 0.1 }], { engine: 'hf' }).distribution(Float32Array.from([0.87, 0.099, 0.001, 0.03], Math.log));
 */
export function epsilonSampler({ epsilon, min_keep: minKeep }: { epsilon: number; min_keep: number }, profile: EngineProfile): Sampler {
  const float32 = profile.cutoffFloat32;
  checkParameter('epsilon', EPSILON, epsilon);
  checkParameter('epsilon', MIN_KEEP, minKeep);
  const cutoff: MassCutoff = () => epsilon;
  return {
    name: 'epsilon',
    apply(candidates: Candidates): void {
      if (epsilon <= 0) return;
      if (float32) keepAtLeastProbability(candidates, Math.fround(epsilon), minKeep, true);
      else keepAtLeastMass(candidates, cutoff, minKeep);
    },
  };
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

/**
 * The fraction of the exact total a token's weight must reach, from the exact sums of the
 * live tokens: `total` = Σw, `moment` = Σw·l (filled only when the cutoff's `moment` flag is
 * set), and the maximum logit. Epsilon's is the constant ε; eta's reads the entropy.
 */
export type MassCutoff = ((total: ExactSum, moment: ExactSum, max: number) => number) & { readonly moment?: boolean };

/**
 * The exact form of `keepAtLeastProbability`: keeps the tokens whose weight `w = exp32(l − max)`
 * is at least `cutoff(...)` times the exact total (`massThreshold`), plus the `minKeep` most
 * likely and every token tied with the `minKeep`-th by logit. Returns the weight threshold.
 */
export function keepAtLeastMass(candidates: Candidates, cutoff: MassCutoff, minKeep: number): number {
  const logits = candidates.logits;
  const ids = candidates.ids;
  const size = candidates.size;
  const max = candidates.maxLogit();
  const total = TOTAL;
  const moment = MOMENT;
  total.clear();
  moment.clear();
  for (let i = 0; i < size; i++) {
    const logit = logits[ids[i] as number] as number;
    const w = exp32(logit - max);
    total.addShort(w);
    if (cutoff.moment) moment.addProduct(w, logit);
  }
  const threshold = massThreshold(cutoff(total, moment, max), total);
  const k = Math.min(Math.max(minKeep, 1), size); // the most likely token always stays
  candidates.partialSortDescending(k);
  const floor = logits[ids[k - 1] as number] as number;
  let write = 0;
  for (let i = 0; i < size; i++) {
    const id = ids[i] as number;
    const logit = logits[id] as number;
    if (exp32(logit - max) >= threshold || logit >= floor) ids[write++] = id;
  }
  candidates.size = write; // compaction keeps whatever order the candidates had
  return threshold;
}

const TOTAL = new ExactSum();
const MOMENT = new ExactSum();

const EPSILON: ParameterSpec = {
  name: 'epsilon',
  kind: 'number',
  default: 0,
  range: { min: 0, max: 1, maxOpen: true },
  neutral: 0,
  hint: 'absolute probability floor; 0 disables',
  control: { min: 0, max: 0.01, step: 0.0001, initial: 0.0003 },
  fields: ['epsilon_cutoff'],
  flag: 'epsilon',
};

/** The `epsilon` sampler: its parameters, engines and factory. */
export const epsilonCutoff = defineSampler({
  name: 'epsilon',
  summary: 'keep tokens with probability >= epsilon',
  parameters: [EPSILON, MIN_KEEP],
  engines: {
    knobs: { order: 100 },
    hf: { order: 90 },
    'transformers.js': { order: 64 },
  },
  create: epsilonSampler,
  fast: ({ epsilon, min_keep: minKeep }, profile) => fastCutoff('epsilon', () => epsilon, minKeep, profile, epsilon <= 0),
});
