import { validateLogits } from '../core/validate.js';

/**
 * The working set a chain of samplers narrows down: the live token ids and the current
 * logit of every token. Buffers are sized once per vocabulary and reused for every token,
 * so running a chain allocates nothing in steady state (llama.cpp's candidate array, with
 * the logits kept in a full-vocabulary array indexed by token id).
 *
 * Invariants: `ids[0..size)` are distinct token ids whose logits are finite; `order`
 * tells how they are arranged: `'id'` ascending token id, `'descending'` by logit
 * descending with ties by lower id, `'any'` no promise.
 */
export class Candidates {
  /** Current logit of every token id (entries of removed tokens are stale). */
  readonly logits: Float32Array;
  /** Live token ids, in `ids[0..size)`. */
  readonly ids: Int32Array;
  /** Scratch for probabilities aligned with `ids` (filled by `computeProbabilities`). */
  readonly probs: Float64Array;
  /** Number of live candidates. */
  size = 0;
  order: 'id' | 'descending' | 'any' = 'id';
  private readonly heap: Int32Array;

  constructor(readonly vocabSize: number) {
    this.logits = new Float32Array(vocabSize);
    this.ids = new Int32Array(vocabSize);
    this.probs = new Float64Array(vocabSize);
    this.heap = new Int32Array(vocabSize);
  }

  /**
   * Loads a fresh row of logits: validates it (see `validateLogits`), copies it and makes
   * every token with a finite logit live, in id order.
   */
  load(input: ArrayLike<number>): void {
    if (input.length !== this.vocabSize) {
      throw new RangeError(`expected ${this.vocabSize} logits, got ${input.length}`);
    }
    validateLogits(input);
    const logits = this.logits;
    const ids = this.ids;
    let size = 0;
    for (let id = 0; id < input.length; id++) {
      const value = input[id] as number;
      logits[id] = value;
      if (value !== -Infinity) ids[size++] = id;
    }
    this.size = size;
    this.order = 'id';
  }

  /** The largest live logit. */
  maxLogit(): number {
    const logits = this.logits;
    const ids = this.ids;
    if (this.order === 'descending') return logits[ids[0] as number] as number;
    let max = -Infinity;
    for (let i = 0; i < this.size; i++) {
      const value = logits[ids[i] as number] as number;
      if (value > max) max = value;
    }
    return max;
  }

  /** Position in `ids` of the first maximum (lowest id among equal logits). */
  argmaxPosition(): number {
    const logits = this.logits;
    const ids = this.ids;
    let best = 0;
    let bestLogit = logits[ids[0] as number] as number;
    let bestId = ids[0] as number;
    for (let i = 1; i < this.size; i++) {
      const id = ids[i] as number;
      const value = logits[id] as number;
      if (value > bestLogit || (value === bestLogit && id < bestId)) {
        best = i;
        bestLogit = value;
        bestId = id;
      }
    }
    return best;
  }

  /** Keeps only the candidate at position `position`. */
  keepOnly(position: number): void {
    this.ids[0] = this.ids[position] as number;
    this.size = 1;
    this.order = 'descending';
  }

  /**
   * Fills `probs[0..size)` with the softmax of the live logits, in float64, aligned with
   * `ids`, and returns the sum of `exp(logit - max)` before normalisation.
   */
  computeProbabilities(): number {
    const logits = this.logits;
    const ids = this.ids;
    const probs = this.probs;
    const max = this.maxLogit();
    let sum = 0;
    for (let i = 0; i < this.size; i++) {
      const weight = Math.exp((logits[ids[i] as number] as number) - max);
      probs[i] = weight;
      sum += weight;
    }
    const inverse = 1 / sum;
    for (let i = 0; i < this.size; i++) probs[i] = (probs[i] as number) * inverse;
    return sum;
  }

  /** Sorts the live ids ascending. */
  sortById(): void {
    if (this.order === 'id') return;
    this.ids.subarray(0, this.size).sort();
    this.order = 'id';
  }

  /** Sorts the live ids by logit descending, ties by lower id. */
  sortDescending(): void {
    if (this.order === 'descending') return;
    this.partialSortDescending(this.size);
  }

  /**
   * Puts the `count` best candidates (logit descending, ties by lower id) first, in that
   * order; the rest follow in no particular order. Uses a `count`-sized heap: O(n log count).
   * When `count >= size` the whole set is sorted and `order` becomes `'descending'`.
   */
  partialSortDescending(count: number): void {
    const size = this.size;
    if (this.order === 'descending') return;
    const take = Math.min(count, size);
    if (take <= 0) return;
    const logits = this.logits;
    const ids = this.ids;
    const heap = this.heap; // min-heap of the best `take` ids: root is the worst kept
    // "a is worse than b": lower logit, or equal logit and higher id.
    const worse = (a: number, b: number): boolean => {
      const la = logits[a] as number;
      const lb = logits[b] as number;
      return la < lb || (la === lb && a > b);
    };
    let heapSize = 0;
    for (let i = 0; i < size; i++) {
      const id = ids[i] as number;
      if (heapSize < take) {
        let child = heapSize++;
        while (child > 0) {
          const parent = (child - 1) >> 1;
          const parentId = heap[parent] as number;
          if (!worse(id, parentId)) break;
          heap[child] = parentId;
          child = parent;
        }
        heap[child] = id;
      } else if (worse(heap[0] as number, id)) {
        siftDown(heap, heapSize, id, worse);
      }
    }
    // Everything outside the heap is worse than its root (ids are distinct, so never
    // equal to it). Compact those to the front, then move them behind the heap's slots.
    if (take < size) {
      const root = heap[0] as number;
      let outside = 0;
      for (let i = 0; i < size; i++) {
        const id = ids[i] as number;
        if (worse(id, root)) ids[outside++] = id;
      }
      ids.copyWithin(take, 0, outside);
    }
    // Pop the heap from worst to best into positions take-1 .. 0.
    for (let position = take - 1; position >= 0; position--) {
      const worst = heap[0] as number;
      heapSize--;
      if (heapSize > 0) siftDown(heap, heapSize, heap[heapSize] as number, worse);
      ids[position] = worst;
    }
    this.order = take >= size ? 'descending' : 'any';
  }

  /** Keeps the first `count` candidates (meaningful after sorting). */
  truncate(count: number): void {
    if (count < this.size) this.size = Math.max(count, 1);
  }

  /** Writes the final distribution in token-id order: 0 for removed tokens. */
  writeDistribution(out: Float32Array): Float32Array {
    out.fill(0);
    this.computeProbabilities();
    for (let i = 0; i < this.size; i++) out[this.ids[i] as number] = this.probs[i] as number;
    return out;
  }
}

function siftDown(heap: Int32Array, heapSize: number, id: number, worse: (a: number, b: number) => boolean): void {
  let index = 0;
  while (true) {
    const left = 2 * index + 1;
    if (left >= heapSize) break;
    const right = left + 1;
    let child = left;
    if (right < heapSize && worse(heap[right] as number, heap[left] as number)) child = right;
    const childId = heap[child] as number;
    if (!worse(childId, id)) break;
    heap[index] = childId;
    index = child;
  }
  heap[index] = id;
}
