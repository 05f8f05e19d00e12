import { R_SUM32 } from '../../kernel/kernel.js';
import { EXPLICIT_LIMIT, ORDER_OTHER, type FastRow } from './row.js';

/** Buckets of a score: its float32 bits >>> 16 (scores are ≥ 0, at most +Infinity). */
const BUCKETS = (0x7f800000 >>> 16) + 1;
const MASS = new Float64Array(BUCKETS);
const TALLY = new Int32Array(BUCKETS);
const RADIX = new Int32Array(2048);
/** Per id: probability, float32 log of it, then the score (as float32 and as bits). */
let probability = new Float32Array(0);
let logarithm = new Float32Array(0);
let score = new Float32Array(0);
let scoreBits = new Uint32Array(0);
/** Ids in typicality order (two buffers for the radix sort) and their keys. */
let order = new Int32Array(0);
let orderOut = new Int32Array(0);
let keys = new Uint32Array(0);
let keysOut = new Uint32Array(0);

/** Moves allowed to the insertion sort of equal-score runs beyond one per token (more leave the fast path). */
const MOVE_LIMIT = 1 << 16;

/**
 * llama.cpp's typical-p (`strict-float32`) on a row of mostly distinct values, its stages in
 * id order: the float32 softmax (`Kernel.expfWeights`), the float32 entropy and the scores
 * |−fl32(ln q) − H| per token as the reference computes them; the tokens whose score lies in
 * the buckets that hold mass p plus the float32 sum's error bound are sorted by score (an
 * LSD radix sort of the float32 bits; runs of equal scores by higher logit, then lower id),
 * and the float32 running sum in that order stops once `> target` past `minKeep` tokens. The
 * kept set is cut as a band of values when it is one (else the row leaves the fast path) and
 * becomes the explicit candidates in typicality order when small. Cost linear in the row.
 *
 * @example
 * typicalFloat32(row, Math.fround(0.95), 1);
 */
export function typicalFloat32(row: FastRow, target: number, minKeep: number): boolean {
  const kernel = row.kernel;
  const n = row.n;
  reserve(n);
  kernel.args[0] = row.max;
  kernel.expfWeights(n);
  row.weightsTop = NaN; // w holds llama.cpp's expf weights now, not exp32 ones
  const sum = kernel.results[R_SUM32] as number;
  const x = row.values();
  const w = kernel.w;
  const probabilities = probability;
  const logarithms = logarithm;
  const scores = score;
  const bits = scoreBits;
  const masses = MASS;
  const tally = TALLY;
  let entropy = 0;
  let live = 0;
  for (let i = 0; i < n; i++) {
    if (!((x[i] as number) > -Infinity)) continue;
    live++;
    const q = Math.fround((w[i] as number) / sum);
    probabilities[i] = q;
    if (q > 0) {
      const lg = Math.fround(Math.log(q));
      logarithms[i] = lg;
      entropy = Math.fround(entropy - Math.fround(q * lg));
    } else logarithms[i] = -Infinity;
  }
  masses.fill(0);
  tally.fill(0);
  for (let i = 0; i < n; i++) {
    if (!((x[i] as number) > -Infinity)) continue;
    const surprise = -(logarithms[i] as number);
    scores[i] = Math.abs(Math.fround(surprise - entropy));
    const bucket = (bits[i] as number) >>> 16;
    masses[bucket] = (masses[bucket] as number) + (probabilities[i] as number);
    tally[bucket] = (tally[bucket] as number) + 1;
  }
  // The float32 running sum of k terms of total ≈ 1 is within k·2^-24 of the exact one.
  const want = target + live * 2 ** -23 + 2 ** -20;
  let last = BUCKETS - 1;
  let mass = 0;
  let tokens = 0;
  for (let b = 0; b < BUCKETS; b++) {
    mass += MASS[b] as number;
    tokens += TALLY[b] as number;
    if (mass >= want && tokens >= minKeep) {
      last = b;
      break;
    }
  }
  let count = select(x, n, last);
  if (count < 0) return row.fail('typical_p (llama.cpp): too many equal scores out of order');
  let kept = crossing(count, target, minKeep);
  if (kept < 0 && count < live) {
    count = select(x, n, BUCKETS - 1); // the bound was not enough: every token
    if (count < 0) return row.fail('typical_p (llama.cpp): too many equal scores out of order');
    kept = crossing(count, target, minKeep);
  }
  if (kept < 0) kept = count;
  return keepInOrder(row, kept, live);
}

/** Grows the per-id scratch to `n` (only when a larger vocabulary arrives). */
function reserve(n: number): void {
  if (probability.length >= n) return;
  probability = new Float32Array(n);
  logarithm = new Float32Array(n);
  score = new Float32Array(n);
  scoreBits = new Uint32Array(score.buffer);
  order = new Int32Array(n);
  orderOut = new Int32Array(n);
  keys = new Uint32Array(n);
  keysOut = new Uint32Array(n);
}

/** The live ids whose score bucket is ≤ `last`, into `order` in typicality order; their count, or -1. */
function select(x: Float32Array, n: number, last: number): number {
  const bits = scoreBits;
  let ids = order;
  let idsOut = orderOut;
  let key = keys;
  let keyOut = keysOut;
  const radix = RADIX;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (!((x[i] as number) > -Infinity)) continue;
    const b = bits[i] as number;
    if (b >>> 16 > last) continue;
    ids[count] = i;
    key[count++] = b;
  }
  // Stable LSD radix sort by score bits (ids stay ascending within equal scores).
  for (let shift = 0; shift < 32; shift += 11) {
    radix.fill(0);
    for (let k = 0; k < count; k++) {
      const digit = ((key[k] as number) >>> shift) & 2047;
      radix[digit] = (radix[digit] as number) + 1;
    }
    let total = 0;
    for (let d = 0; d < 2048; d++) {
      const c = radix[d] as number;
      radix[d] = total;
      total += c;
    }
    for (let k = 0; k < count; k++) {
      const b = key[k] as number;
      const digit = (b >>> shift) & 2047;
      const at = radix[digit] as number;
      keyOut[at] = b;
      idsOut[at] = ids[k] as number;
      radix[digit] = at + 1;
    }
    const t = key;
    key = keyOut;
    keyOut = t;
    const u = ids;
    ids = idsOut;
    idsOut = u;
  }
  // Three passes: the sorted ids are in the other buffer; make it `order`.
  order = ids;
  orderOut = idsOut;
  keys = key;
  keysOut = keyOut;
  // Equal scores: higher logit first, then lower id (a tie group of values is in order already).
  let moves = 0;
  for (let start = 0; start < count; ) {
    let end = start + 1;
    while (end < count && key[end] === key[start]) end++;
    for (let k = start + 1; k < end; k++) {
      const id = ids[k] as number;
      const v = x[id] as number;
      let at = k;
      while (at > start && before(x, id, v, ids[at - 1] as number)) {
        ids[at] = ids[at - 1] as number;
        at--;
      }
      ids[at] = id;
      moves += k - at;
    }
    if (moves > count + MOVE_LIMIT) return -1;
    start = end;
  }
  return count;
}

function before(x: Float32Array, id: number, v: number, other: number): boolean {
  const u = x[other] as number;
  return v > u || (v === u && id < other);
}

/** The float32 running sum over `order`: the kept count once `> target` with ≥ minKeep tokens, or -1. */
function crossing(count: number, target: number, minKeep: number): number {
  const ids = order;
  const probabilities = probability;
  let run = 0;
  for (let k = 0; k < count; k++) {
    run = Math.fround(run + (probabilities[ids[k] as number] as number));
    if (run > target && k + 1 >= minKeep) return k + 1;
  }
  return -1;
}

/** Keeps the first `kept` of `order` (a band of values, checked by its count); explicit in that order when small. */
function keepInOrder(row: FastRow, kept: number, live: number): boolean {
  const x = row.values();
  const ids = order;
  if (kept < live) {
    let hiV = -Infinity;
    let hiId = -1;
    let loV = Infinity;
    let loId = -1;
    for (let k = 0; k < kept; k++) {
      const id = ids[k] as number;
      const v = x[id] as number;
      if (v > hiV || (v === hiV && id > hiId)) {
        hiV = v;
        hiId = id;
      }
      if (v < loV || (v === loV && id > loId)) {
        loV = v;
        loId = id;
      }
    }
    // The cut keeps a superset of these tokens: the same set when it keeps as many.
    const args = row.kernel.args;
    args[0] = loV;
    args[1] = loId;
    args[2] = hiV;
    args[3] = hiId;
    row.size = row.kernel.cut(row.n);
    row.changed();
    if (row.size !== kept) return row.fail('typical_p (llama.cpp): the kept tokens are not a band of values');
    row.rescan();
  }
  row.order = ORDER_OTHER;
  if (kept > EXPLICIT_LIMIT) return true; // stays implicit; order-dependent stages will leave the fast path
  if (!row.materialise(false)) return false;
  const candidates = row.candidates.ids;
  for (let k = 0; k < kept; k++) candidates[k] = ids[k] as number;
  row.candidates.order = 'any';
  return true;
}
