import { cumulativeExpShifted } from '../kernel/logSumExp.js';
import type { Rng } from '../samplers/rng.js';

/** Rejections before `drawRest` falls back to an exact scan of the vocabulary. */
const MAX_REJECTIONS = 64;

/**
 * Draws one token from a distribution restricted to the tokens not in `taken`, in
 * proportion to exp(logit): the "rest of the vocabulary" that stochastic beam search
 * perturbs as one block. The cumulative distribution over the whole vocabulary is built
 * once per row (in `cumulative`, lazily, by the caller passing `state`), then each draw is a
 * binary search on u · total; a token already taken is rejected and drawn again, which
 * leaves exactly the restricted distribution. After 64 rejections (the rest holds little
 * mass) it scans the rest directly. Returns −1 when the rest has no mass.
 *
 * @example
 * const state = { cumulative: new Float64Array(logits.length), total: -1 };
 * drawRest(logits, maxLogit, new Set([3, 7]), state, rng);
 */
export function drawRest(logits: ArrayLike<number>, shift: number, taken: ReadonlySet<number>, state: { cumulative: Float64Array; total: number }, rng: Rng): number {
  if (state.total < 0) state.total = cumulativeExpShifted(logits, shift, state.cumulative);
  const cumulative = state.cumulative;
  const length = logits.length;
  for (let attempt = 0; attempt < MAX_REJECTIONS; attempt++) {
    const target = rng.nextFloat() * state.total;
    let lo = 0;
    let hi = length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    if (!taken.has(lo) && weight(cumulative, lo) > 0) return lo;
  }
  // Exact fallback: the rest's own cumulative sum, in id order.
  let rest = 0;
  for (let id = 0; id < length; id++) if (!taken.has(id)) rest += weight(cumulative, id);
  if (!(rest > 0)) return -1;
  const target = rng.nextFloat() * rest;
  let sum = 0;
  let last = -1;
  for (let id = 0; id < length; id++) {
    if (taken.has(id)) continue;
    const w = weight(cumulative, id);
    if (w <= 0) continue;
    sum += w;
    last = id;
    if (sum > target) return id;
  }
  return last;
}

function weight(cumulative: Float64Array, id: number): number {
  return (cumulative[id] as number) - (id > 0 ? (cumulative[id - 1] as number) : 0);
}
