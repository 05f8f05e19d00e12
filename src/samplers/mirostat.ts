import { InvalidParameterError } from '../core/errors.js';
import { checkAtLeast } from '../core/validate.js';
import type { Candidates } from './candidates.js';
import { drawToken } from './draw.js';
import type { Sampler, SamplerContext } from './sampler.js';
import { scratchInt32 } from './selection.js';

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
export function mirostatSampler(version: number, tau = 5, eta = 0.1): Sampler {
  if (version !== 1 && version !== 2) throw new InvalidParameterError('mirostat.version', version, '1 or 2');
  checkAtLeast('mirostat.tau', tau, 0);
  checkAtLeast('mirostat.eta', eta, 0);
  let mu = 2 * tau;
  let kept: Int32Array | undefined;
  let keptCount = 0;
  let keptLogits: Float32Array | undefined;
  let logNormalizer = 0;
  let keptMax = 0;
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
      kept = scratchInt32(kept, candidates.vocabSize);
      keptCount = candidates.size;
      let keptSum = 0;
      for (let i = 0; i < keptCount; i++) {
        const id = ids[i] as number;
        kept[i] = id;
        keptSum += Math.exp((logits[id] as number) - max);
      }
      keptLogits = logits;
      keptMax = max;
      logNormalizer = Math.log(keptSum);
      const chosen = drawToken(candidates, context.rng);
      candidates.keepOnly(candidates.ids.indexOf(chosen));
    },
    accept(token: number): void {
      if (!kept || !keptLogits) return;
      for (let i = 0; i < keptCount; i++) {
        if (kept[i] !== token) continue;
        const observed = -((keptLogits[token] as number) - keptMax - logNormalizer) / Math.LN2;
        mu -= eta * (observed - tau);
        return;
      }
    },
    reset(): void {
      mu = 2 * tau;
      keptCount = 0;
    },
  };
}
