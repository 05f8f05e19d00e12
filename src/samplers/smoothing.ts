import { InvalidParameterError } from '../core/errors.js';
import type { Candidates } from './candidates.js';
import { checkParameter, defineSampler, type ParameterSpec } from './definition.js';
import type { EngineProfile } from './profiles.js';
import type { Sampler } from './sampler.js';

/**
 * Smoothing, or quadratic sampling (kalomaze; koboldcpp, text-generation-webui's
 * `QuadraticSamplingLogitsWarper`): reshapes the logits around the top one. With
 * `d = l − l_max`, `k = (3 − curve)/2` and `s = (curve − 1)/2`,
 * `l' = −k·f·d² + s·f·d³ + l_max`. With `curve = 1` this is `l_max − f·d²`: near-top tokens
 * gain against the top and the tail falls off as a Gaussian; a larger factor `f` cuts harder.
 * The curve bends the tail: within [1, 3] the transform keeps the ranking; below 1 far tokens
 * gain (at curve 0, `l' > l_max` once `|d| > 3`), above 3 tokens near the top rise above it.
 * `f = 0` is neutral; one live token: nothing happens.
 *
 * Where it sits matters, and the engines put it in different places (the profile's order):
 * - koboldcpp (`sample_temperature` @0c163a9b, read, not run) applies it inside its temperature
 *   step, after dividing by T: on temperature-scaled logits, so at temperature T and curve 1
 *   `p ∝ exp(−f·d²/T²)`. Its rule (`float32-any-curve`) is float32 and accepts any curve.
 * - exllamav2 (`sample_basic` + `softmax_cpu` @da07facd, read, not run) has no curve and folds
 *   it into its first softmax, before every truncation: `p ∝ exp(−f·d²/T)` with d on the raw
 *   logits — this sampler placed before temperature (`float32-no-curve`: curve must be 1).
 * - knobs (`exact`): float64, curve in [1, 3], placed before temperature as exllamav2 does.
 * The two formulas agree only at T = 1.
 *
 * @example
 * // logits {0, −1, −2}, f = 0.5: d² = {0, 1, 4} → {0, −0.5, −2}
 * createSampler([{ smoothing: 0.5 }]).distribution(new Float32Array([0, -1, -2]));
 */
export function smoothingSampler({ factor, curve }: { factor: number; curve: number }, profile: EngineProfile): Sampler {
  const rule = profile.smoothing;
  checkParameter('smoothing', FACTOR, factor);
  if (rule === 'exact') checkParameter('smoothing', CURVE, curve, CURVE.range, '(where the ranking is kept)');
  else checkParameter('smoothing', CURVE, curve, { min: -Infinity, max: Infinity });
  if (rule === 'float32-no-curve' && curve !== 1) throw new InvalidParameterError('smoothing.curve', curve, `1 under ${profile.name}, which has no smoothing curve`);
  const float32 = rule !== 'exact';
  const round = float32 ? Math.fround : (x: number): number => x;
  const f = round(factor);
  const k = round(round(3 - curve) / 2);
  const s = round(round(curve - 1) / 2);
  return {
    name: 'smoothing',
    apply(candidates: Candidates): void {
      if (factor <= 0 || candidates.size <= 1) return;
      const logits = candidates.logits;
      const ids = candidates.ids;
      const max = candidates.maxLogit();
      for (let i = 0; i < candidates.size; i++) {
        const id = ids[i] as number;
        const d = round((logits[id] as number) - max);
        // koboldcpp's order of operations: −(k·f·d·d) + (s·f·d·d·d) + h.
        const square = round(round(round(k * f) * d) * d);
        const cube = round(round(round(round(s * f) * d) * d) * d);
        logits[id] = round(round(-square + cube) + max);
      }
    },
  };
}

const FACTOR: ParameterSpec = {
  name: 'factor',
  kind: 'number',
  default: 0,
  range: { min: 0, max: Infinity },
  neutral: 0,
  hint: 'quadratic pull toward the top token; 0 disables',
  control: { min: 0, max: 5, step: 0.01, initial: 0.3 },
  fields: ['smoothing_factor'],
  flag: 'smoothing-factor',
};
const CURVE: ParameterSpec = {
  name: 'curve',
  kind: 'number',
  default: 1,
  range: { min: 1, max: 3 },
  hint: '1 is plain quadratic; bends the tail',
  control: { min: 1, max: 3, step: 0.01, initial: 1 },
  optional: true,
  fields: ['smoothing_curve'],
  flag: 'smoothing-curve',
};

/** The `smoothing` sampler: its parameters, engines and factory. */
export const smoothing = defineSampler({
  name: 'smoothing',
  summary: 'quadratic sampling: l_max - k f d^2 + s f d^3 around the top logit',
  parameters: [FACTOR, CURVE],
  engines: {
    knobs: { order: 135 },
    koboldcpp: { order: 92, preset: { factor: 0, curve: 1 } },
    exllamav2: { order: 38, preset: { factor: 0, curve: 1 } },
  },
  create: smoothingSampler,
});
