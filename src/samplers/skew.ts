import type { Candidates } from './candidates.js';
import { checkParameter, defineSampler, type ParameterSpec } from './definition.js';
import type { EngineProfile } from './profiles.js';
import type { Sampler } from './sampler.js';
import { compactLive, scratchFloat64 } from './selection.js';

/**
 * Skew (exllamav2 `sample_basic` @da07facd, read, not run; TabbyAPI's `skew` while it ran
 * exllamav2): changes the draw itself. exllamav2 sorts the candidates by probability
 * descending, draws a uniform `r` in [0, 1), bends it to `r' = r^(e^(−skew))`, scales it by
 * `scale` (0.9998 there, "to account for FP32 rounding"; `profile.skewScale`) and takes the
 * first token whose cumulative probability reaches `r'` (`accum >= r'`). Positive skew pushes
 * the draw toward less likely tokens, negative skew toward the top. `skew = 0` is neutral
 * (under exllamav2 the 0.9998 still applies to every draw, over the unsorted candidates:
 * see the profile's caveats).
 *
 * The draw's law, in closed form: with C_i the cumulative probabilities in that order,
 * `P(r' <= c) = G(c) = min(1, (c / scale)^(e^skew))`, so token i is drawn with probability
 * `G(C_i) − G(C_{i−1})` (the last gets `1 − G(C_{n−2})`). This stage rewrites the logits to
 * the logarithms of those probabilities: `distribution()` reports them, and the chain's
 * seeded draw (`context.rng`) then follows exactly this law — one draw and many agree.
 * Tokens it can never reach (past cumulative `scale`) are removed. The token a given seed
 * draws is the chain's draw rule applied to this law, not exllamav2's walk with Python's
 * `random`. Probabilities are float32 with exllamav2's pre-pass (tokens under 1e-8 sorted
 * last) when `scale < 1`, float64 otherwise; ties keep the lower id first.
 *
 * @example
 * // p = {0.5, 0.3, 0.2}, skew = ln 2: G(c) = c², so {0.25, 0.39, 0.36}
 * createSampler([{ skew: Math.LN2 }]).distribution(Float32Array.from([0.5, 0.3, 0.2], Math.log));
 */
export function skewSampler({ skew }: { skew: number }, profile: EngineProfile): Sampler {
  checkParameter('skew', SKEW, skew);
  const scale = profile.skewScale;
  const float32 = scale < 1;
  const round = float32 ? Math.fround : (x: number): number => x;
  const power = Math.exp(skew);
  let law: Float64Array | undefined;
  return {
    name: 'skew',
    apply(candidates: Candidates): void {
      if (skew === 0 || candidates.size <= 1) return;
      candidates.sortDescending();
      const logits = candidates.logits;
      const ids = candidates.ids;
      const size = candidates.size;
      law = scratchFloat64(law, candidates.vocabSize);
      const max = logits[ids[0] as number] as number;
      let sum = 0;
      for (let i = 0; i < size; i++) sum = round(sum + round(Math.exp(round((logits[ids[i] as number] as number) - max))));
      const G = (c: number): number => Math.min(1, Math.pow(Math.max(0, c) / scale, power));
      let cumulative = 0;
      let previous = 0;
      for (let i = 0; i < size; i++) {
        const id = ids[i] as number;
        cumulative = round(cumulative + round(round(Math.exp(round((logits[id] as number) - max))) / sum));
        const reached = i === size - 1 ? 1 : G(cumulative);
        law[id] = reached - previous;
        previous = reached;
      }
      const weights = law;
      compactLive(candidates, (id) => (weights[id] as number) > 0);
      for (let i = 0; i < candidates.size; i++) {
        const id = ids[i] as number;
        logits[id] = Math.log(weights[id] as number);
      }
      candidates.order = 'any';
    },
  };
}

const SKEW: ParameterSpec = {
  name: 'skew',
  kind: 'number',
  default: 0,
  neutral: 0,
  hint: 'bends the draw: > 0 toward unlikely tokens, < 0 toward the top; 0 is neutral',
  control: { min: -3, max: 3, step: 0.05, initial: 0.5 },
  fields: ['skew'],
  flag: 'skew',
};

/** The `skew` sampler: its parameter, engines and factory. */
export const skew = defineSampler({
  name: 'skew',
  summary: 'draw by inverse CDF with r^(e^-skew): > 0 favours less likely tokens',
  parameters: [SKEW],
  engines: {
    knobs: { order: 145 },
    exllamav2: { order: 140, preset: 0 },
  },
  create: skewSampler,
});
