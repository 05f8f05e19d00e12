/**
 * Ordering helpers of the fast path, on float32 values and token ids, without allocation.
 *
 * A token (value v, id) is packed into one float64 sort key, `key(v) · 2^21 + (2^21 - 1 - id)`,
 * where `key(v)` is the order-preserving 32-bit integer of v's float32 bits. Ascending keys
 * are ascending (v, then descending id), so reading sorted keys backwards gives the
 * reference order: value descending, ties by lower id. Needs ids below 2^21.
 */

/** One float32 and its bits, for callers that inline `floatKey` in hot loops. */
export const F32 = new Float32Array(1);
export const U32 = new Uint32Array(F32.buffer);
/** 2^21: ids are packed below this. */
export const ID_SPAN = 2097152;

/** Largest vocabulary the packed keys support. */
export const MAX_PACKED_ID = ID_SPAN;

/** Order-preserving unsigned key of a float32 value (-0 sorts just below +0). */
export function floatKey(value: number): number {
  F32[0] = value;
  const bits = U32[0] as number;
  return bits >= 0x80000000 ? 0xffffffff - bits : bits + 0x80000000;
}

/** The float32 value of a key from `floatKey`. */
export function keyFloat(key: number): number {
  U32[0] = key >= 0x80000000 ? key - 0x80000000 : 0xffffffff - key;
  return F32[0] as number;
}

/** The next float32 below `value` (value a float32, not -Infinity). */
export function previousFloat32(value: number): number {
  return keyFloat(floatKey(value) - 1);
}

/** The smallest float32 ≥ `value`. */
export function ceilFloat32(value: number): number {
  const rounded = Math.fround(value);
  return rounded >= value ? rounded : keyFloat(floatKey(rounded) + 1);
}

/** The largest float32 ≤ `value`. */
export function floorFloat32(value: number): number {
  const rounded = Math.fround(value);
  return rounded <= value ? rounded : keyFloat(floatKey(rounded) - 1);
}

/** Packs (value, id) into a sort key (see the module comment). */
export function packKey(value: number, id: number): number {
  return floatKey(value) * ID_SPAN + (ID_SPAN - 1 - id);
}

/** The id of a packed key. */
export function keyId(key: number): number {
  return ID_SPAN - 1 - (key % ID_SPAN);
}

/** The value of a packed key. */
export function keyValue(key: number): number {
  return keyFloat(Math.floor(key / ID_SPAN));
}

const STACK = new Int32Array(128);

/** Sorts `keys[0..count)` ascending in place: quicksort (median of three) with insertion sort below 24. */
export function sortKeys(keys: Float64Array, count: number): void {
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
      // Recurse into the smaller side, loop on the larger: the stack stays below 2·log2(n).
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
