import type { Candidates } from './candidates.js';
import { checkParameter, defineSampler, MIN_KEEP, type ParameterSpec } from './definition.js';
import type { EngineProfile } from './profiles.js';
import type { Sampler } from './sampler.js';

/**
 * Top-a (BlinkDL; koboldcpp `sample_top_a`, text-generation-webui `TopALogitsWarper`,
 * exllamav2 `top_a_cpu`): removes every token whose probability is below `a · p_max²`,
 * strictly — a token exactly at the threshold stays. The bar rises with the square of the
 * top probability, so a confident distribution is cut hard and a flat one barely. `a = 0` is
 * neutral; at least `min_keep` tokens (the most likely, ties by lower id) and always the top
 * one are kept. Probabilities are the softmax of the live logits at this point of the chain.
 *
 * Rules by engine (`profile.topA`): `exact` (knobs) in float64; `float32` (koboldcpp
 * @0c163a9b: float32 softmax sorted descending, `threshold = a·p_max·p_max`, cut at the first
 * token from `min_keep` on below it; exllamav2 @da07facd: the same test on its renormalised
 * float32 probabilities, no `min_keep`). Both read, not run. exllamav2 does not validate a:
 * with `a > 1 / p_max` it removes every candidate and its draw then reads whatever sits first
 * (undefined); here the top token is kept. text-generation-webui (not a profile) rejects a
 * outside [0, 1] and computes p over the whole vocabulary.
 *
 * @example
 * // p = {0.5, 0.3, 0.15, 0.05}, a = 0.4: threshold 0.4 · 0.25 = 0.1 keeps the first three
 * createSampler([{ top_a: 0.4 }]).distribution(Float32Array.from([0.5, 0.3, 0.15, 0.05], Math.log));
 */
export function topASampler({ a, min_keep: minKeep }: { a: number; min_keep: number }, profile: EngineProfile): Sampler {
  checkParameter('top_a', A, a);
  checkParameter('top_a', MIN_KEEP, minKeep);
  const float32 = profile.topA === 'float32';
  const round = float32 ? Math.fround : (x: number): number => x;
  return {
    name: 'top_a',
    apply(candidates: Candidates): void {
      if (a <= 0 || candidates.size <= 1) return;
      candidates.sortDescending();
      const logits = candidates.logits;
      const ids = candidates.ids;
      const size = candidates.size;
      const max = logits[ids[0] as number] as number;
      let sum = 0;
      for (let i = 0; i < size; i++) sum = round(sum + round(Math.exp(round((logits[ids[i] as number] as number) - max))));
      const top = round(1 / sum);
      const threshold = round(round(round(a) * top) * top);
      let keep = size;
      for (let i = 1; i < size; i++) {
        const q = round(round(Math.exp(round((logits[ids[i] as number] as number) - max))) / sum);
        if (q < threshold && i >= minKeep) {
          keep = i;
          break;
        }
      }
      candidates.truncate(keep);
    },
  };
}

const A: ParameterSpec = {
  name: 'a',
  kind: 'number',
  default: 0,
  range: { min: 0, max: Infinity },
  neutral: 0,
  hint: 'drop p < a x p_max^2; 0 disables',
  control: { min: 0, max: 1, step: 0.01, initial: 0.2 },
  fields: ['top_a'],
  flag: 'top-a',
};

/** The `top_a` sampler: its parameters, engines and factory. */
export const topA = defineSampler({
  name: 'top_a',
  summary: 'drop tokens below a x the square of the top probability',
  parameters: [A, MIN_KEEP],
  engines: {
    knobs: { order: 75 },
    koboldcpp: { order: 50, preset: 0 },
    exllamav2: { order: 70, preset: 0 },
  },
  create: topASampler,
});
