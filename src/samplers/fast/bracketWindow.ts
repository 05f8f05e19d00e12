import { exp32 } from '../../core/exp.js';
import { HISTOGRAM_KEYS, R_ABOVE } from '../../kernel/kernel.js';
import { mostFrequentValues } from './heavyValues.js';
import type { FastRow } from './row.js';

/** One weight in this many is sampled to place the cut. */
const SAMPLE_STRIDE = 16;
/** Histogram keys (float32 bits >>> 16, 1/128 of a binade each) added on each side of the window. */
const BRACKET_KEYS = 2;
/** Relative uncertainty allowed to the sample's estimate of the mass below the cut. */
const MARGIN = 0.05;
/** Largest bracket gathered around the cut. */
export const BRACKET_CAP = 1 << 16;

const sampleCounts = new Int32Array(HISTOGRAM_KEYS);
const sampleMasses = new Float64Array(HISTOGRAM_KEYS);
let bitsView: Int32Array = new Int32Array(0);
let bitsSource: Float32Array | null = null;
/** The sample's positive weight bits and their ids, in id order (grown with the vocabulary). */
let sampleBits = new Int32Array(0);
let sampleIds = new Int32Array(0);
let sampled = 0;
/** Results of the bracket searches: mass and count above the bracket, and its lowest bits. */
export const found = { above: 0.5, aboveCount: 0, hiBits: 0 };
/** Heavy values found in the sample (at most 4; NaN for none), and their rank by value descending. */
export const heavy = new Float64Array(4);
export const HEAVY_ORDER = new Int32Array(4);
/** The search's inputs: total, low, high (bounds on p·total), gamma (a typed array: nothing is boxed). */
export const WINDOW = new Float64Array(4);

/**
 * Finds the tokens around top-p's cut: leaves them in `kernel.ids` (ascending), the mass and
 * count above them in `found` and the tie groups counted apart in `heavy`; returns their
 * number, or -1. Reads total, low, high, gamma from `WINDOW`. A 1-in-16 sample of the weights
 * places the window (from the bottom, where the mass below the cut is spread thin), a
 * histogram of every weight when the sample misses.
 *
 * @example
 * WINDOW.set([total, low, high, gamma]); const count = findWindow(row);
 */
export function findWindow(row: FastRow): number {
  const count = sampledBracket(row);
  if (count >= 0) return count;
  row.note('top_p: full histogram');
  return histogramBracket(row);
}

/** The weights' float32 bits, as a view on the kernel's `w`. */
function weightBits(row: FastRow): Int32Array {
  const w = row.kernel.w;
  if (bitsSource !== w) {
    bitsView = new Int32Array(w.buffer, w.byteOffset, w.length);
    bitsSource = w;
  }
  return bitsView;
}

/**
 * Finds the tokens around the cut from a sample of the weights; leaves them in `kernel.ids`
 * (ascending) and the mass and count above them in `found`, the heavy values in `heavy`.
 * Returns their number, or -1 when the estimate missed. `low`, `high`: bounds on p·total.
 */
function sampledBracket(row: FastRow): number {
  const total = WINDOW[0] as number;
  const low = WINDOW[1] as number;
  const high = WINDOW[2] as number;
  const gamma = WINDOW[3] as number;
  const kernel = row.kernel;
  const n = row.n;
  const w = kernel.w;
  const bits = weightBits(row);
  let lowest = HISTOGRAM_KEYS;
  let highest = 0;
  const size = (n >> 4) + 1;
  if (sampleBits.length < size) {
    sampleBits = new Int32Array(size);
    sampleIds = new Int32Array(size);
  }
  let m = 0;
  for (let i = 0; i < n; i += SAMPLE_STRIDE) {
    const b = bits[i] as number;
    if (b > 0) {
      sampleBits[m] = b;
      sampleIds[m++] = i;
      const key = b >>> 16;
      sampleCounts[key] = (sampleCounts[key] as number) + 1;
      sampleMasses[key] = (sampleMasses[key] as number) + (w[i] as number);
      if (key < lowest) lowest = key;
      if (key > highest) highest = key;
    }
  }
  sampled = m;
  // From the bottom up: the mass below the cut (1 − p of the total) is spread over many
  // small weights, which the sample estimates well; the window covers the keys where the
  // sampled mass below is within ±MARGIN of that, and a few more.
  const target = (total - (low + high) / 2) / SAMPLE_STRIDE;
  let cumulative = 0;
  let first = -1;
  let last = -1;
  for (let key = lowest; key <= highest; key++) {
    cumulative += sampleMasses[key] as number;
    if (first < 0 && cumulative >= target * (1 - MARGIN)) first = key;
    if (last < 0 && cumulative >= target * (1 + MARGIN)) last = key;
    sampleCounts[key] = 0;
    sampleMasses[key] = 0;
  }
  if (first < 0) return -1;
  if (last < 0) last = highest;
  let from = Math.max(1, first - BRACKET_KEYS);
  let to = Math.min(HISTOGRAM_KEYS - 1, last + BRACKET_KEYS);
  // When the estimate misses, the window moves toward the cut (it grows each time).
  for (let attempt = 0; attempt < 4; attempt++) {
    findHeavy(row, from << 16, (to + 1) << 16);
    const count = gatherBracket(row, from << 16, (to + 1) << 16);
    if (count < 0) return -1;
    const width = to - from + 1;
    const above = kernel.results[R_ABOVE] as number;
    if (above * (1 + 2 * gamma) >= low) {
      // The cut may lie above the window.
      if (to >= HISTOGRAM_KEYS - 1) return -1;
      from = to + 1;
      to = Math.min(HISTOGRAM_KEYS - 1, to + 2 * width);
      continue;
    }
    // The window must reach below the cut.
    let inside = above;
    const ids = kernel.ids;
    for (let i = 0; i < count; i++) inside += w[ids[i] as number] as number;
    const max = row.max;
    for (let h = 0; h < 4; h++) if ((kernel.heavyCounts[h] as number) > 0) inside += (kernel.heavyCounts[h] as number) * exp32((heavy[h] as number) - max);
    if (inside * (1 - 2 * gamma) < high) {
      if (from <= 1) return -1;
      to = from - 1;
      from = Math.max(1, from - 2 * width);
      continue;
    }
    found.above = above;
    found.aboveCount = kernel.aboveCount;
    found.hiBits = (to + 1) << 16;
    return count;
  }
  return -1;
}

/** The bracket pass with the heavy values; ranks the heavy values for `merge`. */
function gatherBracket(row: FastRow, lo: number, hi: number): number {
  const kernel = row.kernel;
  for (let h = 0; h < 4; h++) kernel.args[h] = heavy[h] as number;
  const count = kernel.bracket(row.n, lo, hi, BRACKET_CAP);
  // Heavy values by value descending (NaN, for none, last).
  for (let h = 0; h < 4; h++) HEAVY_ORDER[h] = h;
  for (let a = 1; a < 4; a++) {
    const h = HEAVY_ORDER[a] as number;
    let b = a - 1;
    while (b >= 0 && heavyKey(HEAVY_ORDER[b] as number) < heavyKey(h)) {
      HEAVY_ORDER[b + 1] = HEAVY_ORDER[b] as number;
      b--;
    }
    HEAVY_ORDER[b + 1] = h;
  }
  return count;
}

/**
 * Values that the sample hits at least twice inside the bracket's bit range (tie groups of
 * tens of tokens or more), the four most frequent, into `heavy` (NaN for none).
 */
function heavyKey(h: number): number {
  const value = heavy[h] as number;
  return value === value ? value : -Infinity;
}

function findHeavy(row: FastRow, lo: number, hi: number): void {
  // The sample kept by `sampledBracket` (its positive weights: lo > 0), in the same order.
  const x = row.values();
  let count = 0;
  for (let k = 0; k < sampled && count < SEEN.length; k++) {
    const b = sampleBits[k] as number;
    if (b >= lo && b < hi) SEEN[count++] = x[sampleIds[k] as number] as number;
  }
  mostFrequentValues(SEEN, count, heavy);
}
const SEEN = new Float64Array(4096);

/** The same from a histogram of every weight (when the sample missed). */
function histogramBracket(row: FastRow): number {
  const low = WINDOW[1] as number;
  const high = WINDOW[2] as number;
  const gamma = WINDOW[3] as number;
  const kernel = row.kernel;
  kernel.histogram(row.n);
  const counts = kernel.counts;
  const masses = kernel.masses;
  let cumulative = 0;
  let tokens = 0;
  let first = -1;
  let last = -1;
  let aboveMass = 0;
  let aboveCount = 0;
  for (let key = HISTOGRAM_KEYS - 1; key > 0; key--) {
    const count = counts[key] as number;
    if (count === 0) continue;
    if (first < 0 && (cumulative + (masses[key] as number)) * (1 + 2 * gamma) >= low) {
      first = key;
      aboveMass = cumulative;
      aboveCount = tokens;
    }
    cumulative += masses[key] as number;
    tokens += count;
    if (cumulative * (1 - 2 * gamma) >= high) {
      last = key;
      break;
    }
  }
  if (first < 0 || last < 0) return -1;
  findHeavy(row, last << 16, (first + 1) << 16);
  const count = gatherBracket(row, last << 16, (first + 1) << 16);
  if (count < 0) return -1;
  found.above = aboveMass;
  found.aboveCount = aboveCount;
  found.hiBits = (first + 1) << 16;
  return count;
}
