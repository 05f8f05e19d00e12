import { exp32Weights } from '../core/exp.js';
import { ExactSum } from '../core/exactSum.js';
import { byValueDescending, partialSort, type Before } from '../core/partialSort.js';
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
  private readonly total = new ExactSum();
  /** The candidates' order: higher current logit first, then lower id. */
  readonly descending: Before;

  constructor(readonly vocabSize: number) {
    this.logits = new Float32Array(vocabSize);
    this.ids = new Int32Array(vocabSize);
    this.probs = new Float64Array(vocabSize);
    this.heap = new Int32Array(vocabSize);
    this.descending = byValueDescending(this.logits);
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
   * Fills `probs[0..size)` with the softmax of the live logits, aligned with `ids`, and
   * returns the sum of the weights before normalisation. Weights are `exp32(logit - max)`
   * (`src/core/exp.ts`, the same in TypeScript and WebAssembly); `sum` is their exact sum
   * rounded once to float64 (`ExactSum`: no summation order), and
   * `probs[i] = weight_i × (1 / sum)`.
   */
  computeProbabilities(): number {
    const logits = this.logits;
    const ids = this.ids;
    const probs = this.probs;
    const max = this.maxLogit();
    exp32Weights(logits, ids, this.size, max, probs);
    const exact = this.total;
    exact.clear();
    for (let i = 0; i < this.size; i++) exact.addShort(probs[i] as number);
    const sum = exact.rounded();
    const inverse = 1 / sum;
    for (let i = 0; i < this.size; i++) probs[i] = (probs[i] as number) * inverse;
    return sum;
  }

  /** Sorts the live ids ascending (in place, without allocating: insertion or radix sort). */
  sortById(): void {
    if (this.order === 'id') return;
    sortIdsAscending(this.ids, this.size, this.heap);
    this.order = 'id';
  }

  /** Sorts the live ids by logit descending, ties by lower id. */
  sortDescending(): void {
    if (this.order === 'descending') return;
    this.partialSortDescending(this.size);
  }

  /**
   * Puts the `count` best candidates (logit descending, ties by lower id) first, in that
   * order; the rest follow in no particular order (`partialSort`: a `count`-sized heap,
   * O(n log count)). When `count >= size` the whole set is sorted and `order` becomes
   * `'descending'`.
   */
  partialSortDescending(count: number): void {
    const size = this.size;
    if (this.order === 'descending') return;
    const take = partialSort(this.ids, size, count, this.descending, this.heap);
    if (take <= 0) return;
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

/**
 * Sorts `ids[0..size)` ascending in place: insertion sort up to 64 entries, else an LSD
 * radix sort on 11-bit digits through `scratch` (ids are below 2^31; three passes cover 2^33).
 */
export function sortIdsAscending(ids: Int32Array, size: number, scratch: Int32Array): void {
  if (size <= 64) {
    for (let i = 1; i < size; i++) {
      const id = ids[i] as number;
      let j = i - 1;
      while (j >= 0 && (ids[j] as number) > id) {
        ids[j + 1] = ids[j] as number;
        j--;
      }
      ids[j + 1] = id;
    }
    return;
  }
  let largest = 0;
  for (let i = 0; i < size; i++) if ((ids[i] as number) > largest) largest = ids[i] as number;
  const counts = RADIX_COUNTS;
  let from = ids;
  let to = scratch;
  for (let shift = 0; shift < 32 && (shift === 0 || largest >>> shift !== 0); shift += 11) {
    counts.fill(0);
    for (let i = 0; i < size; i++) {
      const digit = ((from[i] as number) >>> shift) & 2047;
      counts[digit] = (counts[digit] as number) + 1;
    }
    let sum = 0;
    for (let d = 0; d < 2048; d++) {
      const c = counts[d] as number;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < size; i++) {
      const id = from[i] as number;
      const digit = (id >>> shift) & 2047;
      const at = counts[digit] as number;
      to[at] = id;
      counts[digit] = at + 1;
    }
    const swap = from;
    from = to;
    to = swap;
  }
  if (from !== ids) for (let i = 0; i < size; i++) ids[i] = from[i] as number;
}

const RADIX_COUNTS = new Int32Array(2048);
