import { InvalidParameterError } from '../core/errors.js';
import type { Candidates } from './candidates.js';
import { checkParameter, defineSampler, type ParameterSpec } from './definition.js';
import { drawToken } from './draw.js';
import type { Sampler, SamplerContext } from './sampler.js';

/**
 * Mirostat (Basu et al. 2021, "Mirostat: a neural text decoding algorithm that directly
 * controls perplexity"): a feedback loop that aims the surprise `-log2 p` of chosen tokens at
 * `tau` bits. It keeps a running limit `mu` (starts at `2·tau`) and selects the token itself.
 * - v2: keeps the tokens, by probability descending, whose surprise is at most `mu` (at least
 *   one), renormalises and draws one.
 * - v1: estimates the Zipf exponent `ŝ` from the 100 most likely tokens
 *   (`ŝ = Σ t_i b_i / Σ t_i²`, `t_i = ln((i+2)/(i+1))`, `b_i = ln(p_i / p_{i+1})`), sets
 *   `k = ((ŝ−1)·2^mu / (1 − N^(1−ŝ)))^(1/ŝ)` with N the vocabulary size, keeps the top
 *   `max(⌊k⌋, 1)` and draws one.
 * The draw uses the chain's generator (`drawToken`, the same rule as the chain's final draw)
 * and leaves exactly one candidate, so the chain returns it without another draw; each apply
 * consumes one draw, and `distribution()` shows the selected token with probability 1.
 * Learning: `accept(id)` updates `mu ← mu − eta · (surprise(id) − tau)`, with the surprise of
 * `id` in the truncated distribution of the last apply (ids outside it leave mu unchanged).
 * llama.cpp updates mu inside apply; we do it on accept so that `distribution()` does not
 * move it. Tokens given as history do not move mu (their distributions are unknown).
 * `reset()` restores `mu = 2·tau`. Follows llama.cpp's `llama_sampler_mirostat(_v2)` (m = 100).
 *
 * @example
 * const s = createSampler([{ temperature: 0.8 }, { mirostat: { version: 2, tau: 5, eta: 0.1 } }], { seed: 1 });
 * s.accept(s.sample(logits));
 */
export function mirostatSampler({ version, tau, eta }: { version: number; tau: number; eta: number }): Sampler {
  if (version !== 1 && version !== 2) throw new InvalidParameterError('mirostat.version', version, '1 or 2');
  checkParameter('mirostat', TAU, tau);
  checkParameter('mirostat', ETA, eta);
  return mirostatWithState(version, tau, eta, { mu: 2 * tau, kept: new Int32Array(0), surprise: new Float64Array(0), keptCount: 0 });
}

/** What Mirostat remembers between tokens: mu, and the truncated distribution of the last apply (for accept). */
interface MirostatState {
  mu: number;
  /** Ids kept by the last apply, and the surprise (bits) of each in the truncated distribution. */
  kept: Int32Array;
  surprise: Float64Array;
  keptCount: number;
}

function mirostatWithState(version: number, tau: number, eta: number, state: MirostatState): Sampler {
  return {
    name: 'mirostat',
    apply(candidates: Candidates, context: SamplerContext): void {
      candidates.sortDescending();
      const logits = candidates.logits;
      const ids = candidates.ids;
      const size = candidates.size;
      const max = logits[ids[0] as number] as number;
      let sum = 0;
      for (let i = 0; i < size; i++) sum += Math.exp((logits[ids[i] as number] as number) - max);
      const logSum = Math.log(sum);
      const mu = state.mu;
      let keep: number;
      if (version === 2) {
        // Surprise in bits: -log2 p = -(logit - max - ln Σ) / ln 2.
        keep = 0;
        while (keep < size && -((logits[ids[keep] as number] as number) - max - logSum) / Math.LN2 <= mu) keep++;
        keep = Math.max(keep, 1);
      } else {
        let products = 0;
        let squares = 0;
        for (let i = 0; i < 99 && i < size - 1; i++) {
          const t = Math.log((i + 2) / (i + 1));
          const b = (logits[ids[i] as number] as number) - (logits[ids[i + 1] as number] as number);
          products += t * b;
          squares += t * t;
        }
        const s = products / squares;
        const epsilon = s - 1;
        const k = Math.pow((epsilon * Math.pow(2, mu)) / (1 - Math.pow(candidates.vocabSize, -epsilon)), 1 / s);
        keep = Number.isFinite(k) ? Math.min(size, Math.max(Math.floor(k), 1)) : k > 0 ? size : 1;
      }
      candidates.truncate(keep);
      // Remember the truncated distribution for accept().
      if (state.kept.length < candidates.vocabSize) {
        state.kept = new Int32Array(candidates.vocabSize);
        state.surprise = new Float64Array(candidates.vocabSize);
      }
      const keptCount = candidates.size;
      let keptSum = 0;
      for (let i = 0; i < keptCount; i++) keptSum += Math.exp((logits[ids[i] as number] as number) - max);
      const logNormalizer = Math.log(keptSum);
      for (let i = 0; i < keptCount; i++) {
        const id = ids[i] as number;
        state.kept[i] = id;
        state.surprise[i] = -((logits[id] as number) - max - logNormalizer) / Math.LN2;
      }
      state.keptCount = keptCount;
      const chosen = drawToken(candidates, context.rng);
      candidates.keepOnly(candidates.ids.indexOf(chosen));
    },
    accept(token: number): void {
      for (let i = 0; i < state.keptCount; i++) {
        if (state.kept[i] !== token) continue;
        state.mu -= eta * ((state.surprise[i] as number) - tau);
        return;
      }
    },
    reset(): void {
      state.mu = 2 * tau;
      state.keptCount = 0;
    },
    clone(): Sampler {
      return mirostatWithState(version, tau, eta, { mu: state.mu, kept: state.kept.slice(), surprise: state.surprise.slice(), keptCount: state.keptCount });
    },
  };
}

const VERSION: ParameterSpec = {
  name: 'version',
  kind: 'integer',
  default: 2,
  range: { min: 1, max: 2 },
  neutral: 0,
  hint: 'Mirostat 1 or 2 (the request field mirostat = 0 is off)',
  control: { min: 1, max: 2, step: 1, options: [1, 2] },
  fields: ['mirostat'],
  flag: 'mirostat',
};
const TAU: ParameterSpec = {
  name: 'tau',
  kind: 'number',
  default: 5,
  range: { min: 0, max: Infinity },
  hint: 'target surprise in bits',
  control: { min: 0, max: 10, step: 0.1 },
  fields: ['mirostat_tau'],
};
const ETA: ParameterSpec = {
  name: 'eta',
  kind: 'number',
  default: 0.1,
  range: { min: 0, max: Infinity },
  hint: 'learning rate',
  control: { min: 0, max: 1, step: 0.01 },
  fields: ['mirostat_eta'],
};

/** The `mirostat` sampler: its parameters, engines and factory. */
export const mirostat = defineSampler({
  name: 'mirostat',
  summary: 'Mirostat v1/v2: select a token aiming at tau bits of surprise',
  parameters: [VERSION, TAU, ETA],
  selects: true,
  engines: {
    knobs: { order: 150 },
    'llama.cpp': { order: 120 },
    koboldcpp: { order: 120 },
  },
  create: mirostatSampler,
});
