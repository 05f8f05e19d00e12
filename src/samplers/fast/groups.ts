import { floatKey, keyFloat } from '../../core/float32.js';
import { TABLE_SIZE } from '../../kernel/kernel.js';
import type { FastRow } from './row.js';

/** Most distinct values a row may have for the groups path (the table is half full then). */
export const GROUP_LIMIT = 4096;

/**
 * The distinct current values of a row with how many live tokens hold each, by value
 * descending: real next-token rows have a few hundred to a few thousand distinct logits over
 * 200,000 ids, and every rule that depends only on a token's value (its weight, probability,
 * typicality) is computed once per group. Tokens tied in value are interchangeable in every
 * sum that runs in rank order, so a group's sum needs no order inside it.
 *
 * @example
 * if (row.buildGroups()) for (let g = 0; g < row.groups.count; g++) row.groups.values[g]; // descending
 */
export class Groups {
  /** Number of groups (distinct values); valid after a successful `build`. */
  count = 0;
  readonly values = new Float64Array(GROUP_LIMIT);
  readonly counts = new Int32Array(GROUP_LIMIT);
  /** The kernel table slot of each group (for `slotValues`, `slotFlags`, `slots`). */
  readonly slots = new Int32Array(GROUP_LIMIT);
  private readonly keys = new Float64Array(GROUP_LIMIT);
  private builtFor = -1;
  private ok = false;

  /** Finds the groups of the row's current values (reused while they do not change); false past the limit. */
  build(row: FastRow): boolean {
    if (this.builtFor === row.version) return this.ok;
    this.builtFor = row.version;
    const kernel = row.kernel;
    this.ok = kernel.distinct(row.n, GROUP_LIMIT) >= 0;
    if (!this.ok) return false;
    const tableKeys = kernel.tableKeys;
    const tableCounts = kernel.tableCounts;
    const keys = this.keys;
    const F32 = SCRATCH_F32;
    const U32 = SCRATCH_U32;
    let count = 0;
    for (let slot = 0; slot < TABLE_SIZE; slot++) {
      if ((tableCounts[slot] as number) > 0) {
        U32[0] = tableKeys[slot] as number;
        keys[count++] = floatKey(F32[0] as number) * TABLE_SIZE + slot;
      }
    }
    sortFloat64(keys, count);
    const values = this.values;
    const counts = this.counts;
    const slots = this.slots;
    for (let g = 0; g < count; g++) {
      const key = keys[count - 1 - g] as number;
      const slot = key % TABLE_SIZE;
      values[g] = keyFloat((key - slot) / TABLE_SIZE);
      slots[g] = slot;
      counts[g] = tableCounts[slot] as number;
    }
    this.count = count;
    return true;
  }

  /** Forgets the groups (the row's values were rewritten in place, as by a new row). */
  invalidate(): void {
    this.builtFor = -1;
  }
}

const SCRATCH_F32 = new Float32Array(1);
const SCRATCH_U32 = new Uint32Array(SCRATCH_F32.buffer);

const STACK = new Int32Array(128);

/** Sorts `keys[0..count)` ascending in place: quicksort (median of three), insertion sort below 24. */
export function sortFloat64(keys: Float64Array, count: number): void {
  let top = 0;
  let lo = 0;
  let hi = count - 1;
  while (true) {
    while (hi - lo >= 24) {
      const mid = (lo + hi) >>> 1;
      if ((keys[mid] as number) < (keys[lo] as number)) swap(keys, mid, lo);
      if ((keys[hi] as number) < (keys[lo] as number)) swap(keys, hi, lo);
      if ((keys[hi] as number) < (keys[mid] as number)) swap(keys, hi, mid);
      const pivot = keys[mid] as number;
      let i = lo;
      let j = hi;
      while (i <= j) {
        while ((keys[i] as number) < pivot) i++;
        while ((keys[j] as number) > pivot) j--;
        if (i <= j) {
          swap(keys, i, j);
          i++;
          j--;
        }
      }
      // The smaller side waits on the stack: it stays below 2·log2(count) entries.
      if (j - lo < hi - i) {
        STACK[top++] = i;
        STACK[top++] = hi;
        hi = j;
      } else {
        STACK[top++] = lo;
        STACK[top++] = j;
        lo = i;
      }
    }
    for (let i = lo + 1; i <= hi; i++) {
      const key = keys[i] as number;
      let j = i - 1;
      while (j >= lo && (keys[j] as number) > key) {
        keys[j + 1] = keys[j] as number;
        j--;
      }
      keys[j + 1] = key;
    }
    if (top === 0) return;
    hi = STACK[--top] as number;
    lo = STACK[--top] as number;
  }
}

function swap(keys: Float64Array, a: number, b: number): void {
  const t = keys[a] as number;
  keys[a] = keys[b] as number;
  keys[b] = t;
}
