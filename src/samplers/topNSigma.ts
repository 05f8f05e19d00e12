import type { Candidates } from './candidates.js';
import { checkParameter, defineSampler, MIN_KEEP, type ParameterSpec } from './definition.js';
import { fastTopNSigma } from './fast/topNSigma.js';
import type { EngineProfile } from './profiles.js';
import type { Sampler } from './sampler.js';

/**
 * Top-nσ (Tang et al. 2024, "Top-nσ: Not All Logits Are You Need"): keeps the tokens whose
 * logit is within n standard deviations of the maximum — removes `logit < max − n·σ`
 * (strict, so a token exactly at the threshold stays), where σ is the population standard
 * deviation of the live logits (divided by their count). Removed tokens (-Infinity) are not
 * counted. `n = 0` is neutral (disabled), as in llama.cpp since PR #13345; the maximum is
 * always kept, and at least `min_keep` tokens (ours; llama.cpp has no min_keep here). Scaling
 * all logits (temperature) scales σ too, so the kept set does not depend on temperature.
 * Follows llama.cpp's `llama_sampler_top_n_sigma_apply`; under its profile
 * (`profile.topNSigma`) float32 arithmetic with the sums in the candidates' current order, and
 * n < 0 is accepted as "disabled" (knobs rejects it). Otherwise the sums are float64, over the
 * live tokens in ascending id order (so the result never depends on earlier stages' order).
 *
 * @example
 * // llama.cpp's test: {0.1, 0.2, 0.3, 0.4} with n = 1 keeps 0.3 and 0.4
 * createSampler([{ top_n_sigma: 1 }]).distribution(Float32Array.from([0.1, 0.2, 0.3, 0.4], Math.log));
 */
export function topNSigmaSampler({ n, min_keep: minKeep }: { n: number; min_keep: number }, profile: EngineProfile): Sampler {
  const rule = profile.topNSigma;
  if (rule.negative === 'disabled') checkParameter('top_n_sigma', N, n, { min: -Infinity, max: Infinity }, '(n <= 0 disables)');
  else checkParameter('top_n_sigma', N, n);
  checkParameter('top_n_sigma', MIN_KEEP, minKeep);
  const round = rule.float32 ? Math.fround : (x: number): number => x;
  return {
    name: 'top_n_sigma',
    apply(candidates: Candidates): void {
      if (n <= 0 || candidates.size <= 1) return;
      if (!rule.float32) candidates.sortById();
      const logits = candidates.logits;
      const ids = candidates.ids;
      const size = candidates.size;
      let max = -Infinity;
      let sum = 0;
      for (let i = 0; i < size; i++) {
        const logit = logits[ids[i] as number] as number;
        if (logit > max) max = logit;
        sum = round(sum + logit);
      }
      const mean = round(sum / size);
      let squares = 0;
      for (let i = 0; i < size; i++) {
        const deviation = round((logits[ids[i] as number] as number) - mean);
        squares = round(squares + deviation * deviation);
      }
      const threshold = sigmaThreshold(max, squares, size, n, rule.float32);
      let kept = 0;
      for (let i = 0; i < size; i++) if ((logits[ids[i] as number] as number) >= threshold) kept++;
      if (kept === size) return;
      if (kept < minKeep) {
        candidates.partialSortDescending(minKeep);
        candidates.truncate(minKeep);
        candidates.order = 'descending';
        return;
      }
      let write = 0;
      for (let i = 0; i < size; i++) {
        const id = ids[i] as number;
        if ((logits[id] as number) >= threshold) ids[write++] = id;
      }
      candidates.size = write;
    },
  };
}

/**
 * The threshold `max − n·σ` from the sum of squared deviations over `size` live logits, in
 * float64 or llama.cpp's float32 (`σ = √(squares / size)`). Tokens below it go.
 *
 * @example
 * sigmaThreshold(0, 4, 4, 1, false); // 0 − 1·√(4/4) = -1
 */
export function sigmaThreshold(max: number, squares: number, size: number, n: number, float32: boolean): number {
  const round = float32 ? Math.fround : (x: number): number => x;
  const sigma = round(Math.sqrt(round(squares / size)));
  return round(max - round(round(n) * sigma));
}

const N: ParameterSpec = {
  name: 'n',
  kind: 'number',
  default: 0,
  range: { min: 0, max: Infinity },
  neutral: 0,
  atOrBelow: true,
  hint: 'keep logits within n standard deviations of the top; 0 disables',
  control: { min: 0, max: 5, step: 0.05, initial: 1 },
  fields: ['top_n_sigma'],
  flag: 'top-n-sigma',
};

/** The `top_n_sigma` sampler: its parameters, engines and factory. */
export const topNSigma = defineSampler({
  name: 'top_n_sigma',
  summary: 'keep logits within n standard deviations of the maximum',
  parameters: [N, MIN_KEEP],
  engines: {
    knobs: { order: 90 },
    'llama.cpp': { order: 40 },
    koboldcpp: { order: 95 },
  },
  create: topNSigmaSampler,
  fast: fastTopNSigma,
});
