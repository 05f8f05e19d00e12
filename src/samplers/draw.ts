import type { Candidates } from './candidates.js';
import type { Rng } from './rng.js';

/**
 * Draws one token from the live candidates with probability proportional to
 * `exp(logit)`. The rule, exactly, so that every implementation draws the same token for
 * the same seed: the live ids are taken in ascending id order; weights are
 * `exp(logit - max)` in float64; `u = rng.nextFloat()` (one 53-bit draw); the chosen token
 * is the first whose running weight sum exceeds `u × total` (if rounding leaves none, the
 * last one of positive weight). A single live candidate is returned without consuming the generator.
 *
 * @example
 * drawToken(candidates, new Rng(7));
 */
export function drawToken(candidates: Candidates, rng: Rng): number {
  if (candidates.size === 1) return candidates.ids[0] as number;
  candidates.sortById();
  const logits = candidates.logits;
  const ids = candidates.ids;
  const size = candidates.size;
  const max = candidates.maxLogit();
  let total = 0;
  for (let i = 0; i < size; i++) total += Math.exp((logits[ids[i] as number] as number) - max);
  const target = rng.nextFloat() * total;
  let cumulative = 0;
  let lastPositive = ids[0] as number;
  for (let i = 0; i < size; i++) {
    const id = ids[i] as number;
    const weight = Math.exp((logits[id] as number) - max);
    cumulative += weight;
    if (cumulative > target) return id;
    if (weight > 0) lastPositive = id;
  }
  return lastPositive;
}
