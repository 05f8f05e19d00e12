import { maxLogit, sumExpShifted } from '../kernel/logSumExp.js';
import { InvalidInputError } from '../core/errors.js';
import { byValueDescending, selectFirst } from '../core/partialSort.js';

/** The k most likely next tokens of one distribution, and its normaliser. */
export interface TopLogprobs {
  /** Token ids, most likely first; ties by lower id. Length ≤ k (only tokens with finite logits). */
  readonly ids: Int32Array;
  /** Natural-log probability of each id in `ids` (logit − logSumExp). */
  readonly logprobs: Float64Array;
  /** ln Σ exp(logit) over the vocabulary, in float64. */
  readonly logSumExp: number;
}

/**
 * The `k` most likely tokens of a row of logits with their log-probabilities, in three
 * passes over the vocabulary and without sorting it: the maximum (and the input checks:
 * NaN and +Infinity throw, −Infinity means impossible), the best k by `selectFirst`
 * (a k-sized heap, O(V log k)), and Σ exp(l − max) in float64 (`sumExpShifted`). Order:
 * logit descending, ties by lower token id. Tokens with −Infinity are never returned.
 *
 * @example
 * topLogprobs(new Float32Array([0, Math.log(3), 0]), 2);
 * // { ids: [1, 0], logprobs: [ln 0.6, ln 0.2], logSumExp: ln 5 }
 */
export function topLogprobs(logits: ArrayLike<number>, k: number): TopLogprobs {
  const length = logits.length;
  const max = maxLogit(logits);
  if (max === -Infinity) throw new InvalidInputError('logits are all -Infinity: at least one must be finite');
  // Logit descending, ties by lower id; -Infinity ranks last and is trimmed.
  const best = new Int32Array(Math.max(0, Math.min(k, length)));
  let size = selectFirst(null, length, best.length, byValueDescending(logits), best);
  while (size > 0 && logits[best[size - 1] as number] === -Infinity) size--;
  const ids = best.slice(0, size);
  const logSumExp = max + Math.log(sumExpShifted(logits, max));
  const logprobs = new Float64Array(ids.length);
  for (let i = 0; i < ids.length; i++) logprobs[i] = (logits[ids[i] as number] as number) - logSumExp;
  return { ids, logprobs, logSumExp };
}
