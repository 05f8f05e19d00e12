import { InvalidParameterError } from '../core/errors.js';
import type { Candidates } from './candidates.js';
import { checkParameter, defineSampler, type ParameterSpec } from './definition.js';
import type { EngineProfile } from './profiles.js';
import type { Sampler } from './sampler.js';
import { scratchFloat64 } from './selection.js';

/** How many of the most likely tokens top-h looks at (transformers' `top_n = 100`). */
export const TOP_H_WINDOW = 100;

/**
 * Top-h (entropy-bounded truncation; transformers' `TopHLogitsWarper`, read at
 * huggingface/transformers `src/transformers/generation/logits_process.py` @00857b6c, not run):
 * 1. take the `min(100, live)` most likely tokens (logit descending, ties by lower id) and
 *    softmax over those logits only: `q`;
 * 2. `τ = h · H(q)`, the entropy of that top-100 distribution in nats;
 * 3. walk them in order adding `−q_i ln q_i`; keep token i while the running sum is `<= τ`
 *    (inclusive); the first token is always kept; every token outside the top 100 goes.
 * The terms are never negative, so the kept tokens are a prefix. `h = 1` is not neutral:
 * tokens beyond rank 100 are removed. `h = 0` disables it under `knobs`; transformers rejects
 * it ("`top_h` must be in the range (0, 1]").
 *
 * Rules by engine (`profile.topH`): `exact` (knobs) in float64, where a token whose
 * probability underflows contributes 0; `float32` (transformers) in float32 as torch
 * computes it, where such a token's term is `0 · (−inf) = NaN`, which fails `<= τ`, so it and
 * every later token go.
 *
 * The documentation and the code disagree; this follows the code. `GenerationConfig`'s
 * docstring says "the smallest prefix of tokens is kept whose renormalized entropy is less
 * than or equal to top_h times the entropy of the full distribution": the code sums terms of
 * the top-100 distribution (not renormalised over the prefix), uses the entropy of the top
 * 100 (not of the full distribution), and keeps the *largest* prefix within the bound. The
 * class docstring's "entropy and cumulative probability constraints" has no probability
 * constraint in the code, and its "value between 0 and 1" is (0, 1] in the code.
 *
 * @example
 * // transformers' test: {0.4, 0.3, 0.2, 0.1} at h = 0.7 keeps the top two
 * createSampler([{ top_h: 0.7 }], { engine: 'hf' }).distribution(Float32Array.from([0.4, 0.3, 0.2, 0.1], Math.log));
 */
export function topHSampler({ h }: { h: number }, profile: EngineProfile): Sampler {
  checkParameter('top_h', H, h);
  const float32 = profile.topH === 'float32';
  if (h === 0 && float32) throw new InvalidParameterError('top_h.h', h, `a number in (0, 1] under ${profile.name}`);
  let terms: Float64Array | undefined;
  const round = float32 ? Math.fround : (x: number): number => x;
  return {
    name: 'top_h',
    apply(candidates: Candidates): void {
      if (h === 0) return;
      const n = Math.min(TOP_H_WINDOW, candidates.size);
      candidates.partialSortDescending(n);
      const logits = candidates.logits;
      const ids = candidates.ids;
      terms = scratchFloat64(terms, TOP_H_WINDOW);
      const max = logits[ids[0] as number] as number;
      let sum = 0;
      for (let i = 0; i < n; i++) sum = round(sum + round(Math.exp(round((logits[ids[i] as number] as number) - max))));
      const logSum = round(Math.log(sum));
      // −q ln q with ln q = (l − max) − ln Σ; float32 keeps torch's NaN for q = 0.
      let entropy = 0;
      for (let i = 0; i < n; i++) {
        const logQ = round(round((logits[ids[i] as number] as number) - max) - logSum);
        const q = round(Math.exp(logQ));
        const term = q === 0 ? (float32 ? Number.NaN : 0) : round(-round(q * logQ));
        terms[i] = term;
        if (!Number.isNaN(term)) entropy = round(entropy + term);
      }
      const bound = round(entropy * h);
      let keep = 1;
      let cumulative = terms[0] as number;
      for (let i = 1; i < n; i++) {
        cumulative = round(cumulative + (terms[i] as number));
        if (!(cumulative <= bound)) break;
        keep = i + 1;
      }
      candidates.truncate(keep);
      candidates.order = 'descending';
    },
  };
}

const H: ParameterSpec = {
  name: 'h',
  kind: 'number',
  default: 0,
  range: { min: 0, max: 1 },
  neutral: 0,
  hint: 'share of the top-100 entropy to keep; 0 disables',
  control: { min: 0, max: 1, step: 0.01, initial: 0.4 },
  fields: ['top_h'],
  flag: 'top-h',
};

/** The `top_h` sampler: its parameter, engines and factory. */
export const topH = defineSampler({
  name: 'top_h',
  summary: 'keep the prefix whose entropy terms stay within h x the top-100 entropy',
  parameters: [H],
  engines: {
    knobs: { order: 55 },
    hf: { order: 45 },
  },
  create: topHSampler,
});
