import { checkInteger, checkRange } from '../core/validate.js';
import type { Candidates } from './candidates.js';
import type { Sampler } from './sampler.js';

/**
 * Top-p (nucleus sampling, Holtzman et al. 2020): orders tokens by probability descending
 * (ties by lower token id) and keeps the smallest prefix whose cumulative probability
 * reaches p — inclusive: the token that crosses p is kept, and a prefix that lands exactly
 * on p stops there. `p = 0` keeps exactly one token (the most likely); `p = 1` is neutral
 * (keeps everything, even tokens that float rounding would otherwise cut). At least
 * `min_keep` tokens are kept. The probabilities are the softmax of the logits at this
 * point of the chain; the cumulative sum is in float64. This is llama.cpp's rule
 * (`llama_sampler_top_p`: `cum_sum >= p`).
 *
 * @example
 * // the seed's 8-token example: p = 0.9 keeps "the", "a", "one", "some"
 * createSampler([{ top_p: 0.9 }]).distribution(new Float32Array([3, 2.5, 2, 1, 0.5, 0, -0.5, -1]));
 */
export function topPSampler(p: number, minKeep = 1): Sampler {
  checkRange('top_p.p', p, 0, 1);
  checkInteger('top_p.min_keep', minKeep, 0);
  return {
    name: 'top_p',
    apply(candidates: Candidates): void {
      if (p >= 1) return;
      const count = nucleusCount(candidates, p);
      const keep = Math.max(count, minKeep);
      if (keep >= candidates.size) return;
      if (keep > count) {
        candidates.order = 'any';
        candidates.partialSortDescending(keep);
      }
      candidates.truncate(keep);
      candidates.order = 'descending';
    },
  };
}

/**
 * Sorts just enough of the candidates (best first) to find the nucleus, and returns its
 * size: the smallest n with Σ_{i<n} p_(i) ≥ p, at least 1. Candidates end with their
 * first n (or more) in descending order, so `truncate(n)` keeps the nucleus.
 */
export function nucleusCount(candidates: Candidates, p: number): number {
  const size = candidates.size;
  const logits = candidates.logits;
  const ids = candidates.ids;
  const max = candidates.maxLogit();
  let total = 0;
  for (let i = 0; i < size; i++) total += Math.exp((logits[ids[i] as number] as number) - max);
  const target = p * total;
  // Grow the sorted prefix geometrically: most nuclei are small.
  let sorted = Math.min(size, 64);
  while (true) {
    candidates.partialSortDescending(sorted);
    let cumulative = 0;
    for (let i = 0; i < sorted; i++) {
      cumulative += Math.exp((logits[ids[i] as number] as number) - max);
      if (cumulative >= target) return i + 1;
    }
    if (sorted >= size) return size;
    candidates.order = 'any';
    sorted = Math.min(size, sorted * 8);
  }
}
