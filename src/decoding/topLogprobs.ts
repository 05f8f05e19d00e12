import { maxLogit, sumExpShifted } from '../analysis/metrics/logSumExp.js';
import { InvalidInputError } from '../core/errors.js';

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
 * NaN and +Infinity throw, −Infinity means impossible), the best k in a k-sized heap
 * (O(V log k)), and Σ exp(l − max) in float64 (`sumExpShifted`). Order:
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
  const heap = new Int32Array(Math.max(0, Math.min(k, length)));
  const capacity = heap.length;
  // "a is worse than b": lower logit, or equal logit and higher id. The root is the worst kept.
  const worse = (a: number, b: number): boolean => {
    const la = logits[a] as number;
    const lb = logits[b] as number;
    return la < lb || (la === lb && a > b);
  };
  let size = 0;
  // Once the heap is full, its root (the worst kept) is cached: most tokens fail this test.
  let rootValue = -Infinity;
  for (let id = 0; id < length; id++) {
    const value = logits[id] as number;
    if (value === -Infinity) continue;
    if (size === capacity) {
      if (value < rootValue || value === rootValue || capacity === 0) continue; // equal value: the lower id (the root) stays
      siftDown(heap, size, id, worse);
    } else {
      let child = size++;
      while (child > 0) {
        const parent = (child - 1) >> 1;
        const parentId = heap[parent] as number;
        if (!worse(id, parentId)) break;
        heap[child] = parentId;
        child = parent;
      }
      heap[child] = id;
      if (size < capacity) continue;
    }
    rootValue = logits[heap[0] as number] as number;
  }
  const logSumExp = max + Math.log(sumExpShifted(logits, max));
  const ids = new Int32Array(size);
  for (let position = size - 1; position >= 0; position--) {
    ids[position] = heap[0] as number;
    size--;
    if (size > 0) siftDown(heap, size, heap[size] as number, worse);
  }
  const logprobs = new Float64Array(ids.length);
  for (let i = 0; i < ids.length; i++) logprobs[i] = (logits[ids[i] as number] as number) - logSumExp;
  return { ids, logprobs, logSumExp };
}

function siftDown(heap: Int32Array, size: number, id: number, worse: (a: number, b: number) => boolean): void {
  let index = 0;
  while (true) {
    const left = 2 * index + 1;
    if (left >= size) break;
    const right = left + 1;
    let child = left;
    if (right < size && worse(heap[right] as number, heap[left] as number)) child = right;
    const childId = heap[child] as number;
    if (!worse(childId, id)) break;
    heap[index] = childId;
    index = child;
  }
  heap[index] = id;
}
