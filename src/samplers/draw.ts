import { exp32Weights } from '../core/exp.js';
import type { Candidates } from './candidates.js';
import type { Rng } from './rng.js';

/**
 * Draws one token from the live candidates with probability proportional to
 * `exp(logit)`. The rule, exactly, so that every implementation draws the same token for
 * the same seed: the live ids are taken in ascending id order; weights are
 * `exp32(logit - max)` (`src/core/exp.ts`: float32 arithmetic, identical in TypeScript and
 * in the WebAssembly kernel, independent of the engine's `Math.exp`), added in float64;
 * `u = rng.nextFloat()` (one 53-bit draw); the chosen token is the first whose running
 * weight sum exceeds `u × total` (the last one if rounding leaves none). A single live
 * candidate is returned without consuming the generator.
 *
 * @example
 * drawToken(candidates, new Rng(7));
 */
export function drawToken(candidates: Candidates, rng: Rng): number {
  if (candidates.size === 1) return candidates.ids[0] as number;
  weighById(candidates);
  SCRATCH[1] = rng.nextFloat() * (SCRATCH[0] as number);
  return pick(candidates);
}

/**
 * `drawToken` with the uniform `u` in [0, 1) given instead of drawn (for callers that drew
 * it already, such as the fast paths when they fall back to this rule).
 *
 * @example
 * drawTokenWith(candidates, 0.5); // the token at the median of the cumulative weights
 */
export function drawTokenWith(candidates: Candidates, u: number): number {
  if (candidates.size === 1) return candidates.ids[0] as number;
  weighById(candidates);
  SCRATCH[1] = u * (SCRATCH[0] as number);
  return pick(candidates);
}

/** The total weight (SCRATCH[0]) and the target (SCRATCH[1]): numbers passed through memory, never boxed. */
const SCRATCH = new Float64Array(2);

/** Sorts the live ids ascending, puts their weights in `candidates.probs` and the total in SCRATCH[0]. */
function weighById(candidates: Candidates): void {
  candidates.sortById();
  const logits = candidates.logits;
  const ids = candidates.ids;
  const size = candidates.size;
  let max = -Infinity;
  for (let i = 0; i < size; i++) max = Math.max(max, logits[ids[i] as number] as number);
  const weights = candidates.probs; // scratch: the weights, aligned with ids
  exp32Weights(logits, ids, size, max, weights);
  let total = 0;
  for (let i = 0; i < size; i++) total += weights[i] as number;
  SCRATCH[0] = total;
}

/** The first id whose running weight sum exceeds the target SCRATCH[1] (the last one if none does). */
function pick(candidates: Candidates): number {
  const target = SCRATCH[1] as number;
  const ids = candidates.ids;
  const weights = candidates.probs;
  const size = candidates.size;
  let cumulative = 0;
  for (let i = 0; i < size; i++) {
    cumulative += weights[i] as number;
    if (cumulative > target) return ids[i] as number;
  }
  return ids[size - 1] as number;
}
