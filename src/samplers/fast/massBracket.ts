import { ExactSum } from '../../core/exactSum.js';
import { BIN_COUNT, HISTOGRAM_KEYS, R_ABOVE, R_TOTAL } from '../../kernel/kernel.js';
import { MassCut } from '../cumulativeMass.js';
import { CertifiedCut } from './certifiedCut.js';
import { ORDER_DESCENDING, type FastRow } from './row.js';

/** Unit roundoff of float64. */
const U = 2 ** -53;
/** One weight in this many is sampled to place the cut. */
const SAMPLE_STRIDE = 16;
/** Histogram keys (float32 bits >>> 16, 1/128 of a binade each) on each side of the estimate. */
const BRACKET_KEYS = 3;
/** Largest bracket gathered around the cut. */
const BRACKET_CAP = 1 << 16;

const CUT = new CertifiedCut();
const EXACT_CUT = new MassCut();
const EMPTY = new ExactSum();
const TOTAL = new ExactSum();
const ABOVE = new ExactSum();
const sampleCounts = new Int32Array(HISTOGRAM_KEYS);
const sampleMasses = new Float64Array(HISTOGRAM_KEYS);
const fineCounts = new Int32Array((2 * BRACKET_KEYS + 1) << 6);
const fineMasses = new Float64Array((2 * BRACKET_KEYS + 1) << 6);
let bitsView: Int32Array = new Int32Array(0);
let bitsSource: Float32Array | null = null;
/** Results of the bracket searches: mass and count above the bracket, and its lowest bits. */
const found = { above: 0, aboveCount: 0, hiBits: 0 };

/**
 * Top-p's exact rule on a row whose values are mostly distinct (path 3 of `fastTopP`): the
 * exact weights in one pass, then the tokens around the cut — placed by a 1-in-16 sample of
 * the weights (from the bottom, where the mass below the cut is spread thin) and gathered
 * with the mass above them in one pass (`Kernel.bracket`), narrowed by a fine histogram of
 * their bits; a full histogram when the estimate misses. The cut among them is certified
 * against the float64 sums' error bounds, or decided with exact sums.
 *
 * @example
 * distinctNucleus(row, 0.95, 1); // the row keeps the nucleus
 */
export function distinctNucleus(row: FastRow, p: number, minKeep: number): boolean {
  const kernel = row.kernel;
  const n = row.n;
  row.ensureWeights();
  const total = kernel.results[R_TOTAL] as number;
  const gamma = n * U * 1.01; // the float64 sums are within n·u of the exact ones
  const low = p * total * (1 - 2 * gamma) * (1 - 4 * U);
  const high = p * total * (1 + 2 * gamma) * (1 + 4 * U);
  let count = sampledBracket(row, total, low, high, gamma);
  if (count < 0) count = histogramBracket(row, low, high, gamma);
  if (count < 0) return row.fail('top_p: the cut lies in a tie group larger than the bracket');
  kernel.sortIds(count);
  const ids = kernel.ids;
  const w = kernel.w;
  const above = found.above;
  CUT.reset(EMPTY, total * (1 - gamma), total * (1 + gamma), null, above * (1 - gamma), above * (1 + gamma), p);
  for (let i = 0; i < count; i++) if (CUT.feed(w[ids[i] as number] as number, 1)) break;
  let at = CUT.decided ? CUT.lateAt : 0;
  if (at === 0) {
    // Within the float64 sums' rounding: exact sums decide.
    kernel.args[0] = 0;
    kernel.exactBins(n);
    TOTAL.clear();
    TOTAL.addAll(kernel.bins, BIN_COUNT);
    kernel.args[0] = found.hiBits;
    kernel.exactBins(n);
    ABOVE.clear();
    ABOVE.addAll(kernel.bins, BIN_COUNT);
    EXACT_CUT.reset(TOTAL, p);
    EXACT_CUT.seed(0, ABOVE);
    for (let i = 0; i < count; i++) {
      if (EXACT_CUT.feed(w[ids[i] as number] as number, 1) > 0) {
        at = i + 1;
        break;
      }
    }
    if (at === 0) return row.fail('top_p: the cut is not in the bracket');
  }
  const keep = Math.max(found.aboveCount + at, minKeep);
  row.order = ORDER_DESCENDING;
  if (keep >= row.size) return true;
  const index = keep - found.aboveCount - 1;
  if (index >= count) return row.fail('top_p: min_keep reaches beyond the bracket');
  const id = ids[index] as number;
  row.cut(row.values()[id] as number, id);
  return true;
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
 * (ascending) and the mass and count above them in `found`. Returns their number, or -1 when
 * the estimate missed. `low`, `high`: bounds on p·total.
 */
function sampledBracket(row: FastRow, total: number, low: number, high: number, gamma: number): number {
  const kernel = row.kernel;
  const n = row.n;
  const w = kernel.w;
  const bits = weightBits(row);
  let lowest = HISTOGRAM_KEYS;
  let highest = 0;
  for (let i = 0; i < n; i += SAMPLE_STRIDE) {
    const b = bits[i] as number;
    if (b > 0) {
      const key = b >>> 16;
      sampleCounts[key] = (sampleCounts[key] as number) + 1;
      sampleMasses[key] = (sampleMasses[key] as number) + (w[i] as number);
      if (key < lowest) lowest = key;
      if (key > highest) highest = key;
    }
  }
  // From the bottom up: the mass below the cut (1 − p of the total) is spread over many
  // small weights, which the sample estimates well.
  const target = (total - (low + high) / 2) / SAMPLE_STRIDE;
  let cumulative = 0;
  let estimate = -1;
  for (let key = lowest; key <= highest; key++) {
    cumulative += sampleMasses[key] as number;
    if (estimate < 0 && cumulative >= target) estimate = key;
    sampleCounts[key] = 0;
    sampleMasses[key] = 0;
  }
  if (estimate < 0) return -1;
  const from = Math.max(1, estimate - BRACKET_KEYS);
  const to = Math.min(HISTOGRAM_KEYS - 1, estimate + BRACKET_KEYS);
  const count = kernel.bracket(n, from << 16, (to + 1) << 16, BRACKET_CAP);
  if (count <= 0) return -1;
  const above = kernel.results[R_ABOVE] as number;
  if (above * (1 + 2 * gamma) >= low) return -1; // the cut may lie above the bracket
  // Fine keys: bits >>> 10, 64 per histogram key.
  const base = from << 6;
  const span = (to - from + 1) << 6;
  const ids = kernel.ids;
  for (let j = 0; j < count; j++) {
    const id = ids[j] as number;
    const key = ((bits[id] as number) >>> 10) - base;
    fineCounts[key] = (fineCounts[key] as number) + 1;
    fineMasses[key] = (fineMasses[key] as number) + (w[id] as number);
  }
  let c = above;
  let tokens = kernel.aboveCount;
  let first = -1;
  let last = -1;
  let aboveMass = 0;
  let aboveCount = 0;
  for (let key = span - 1; key >= 0; key--) {
    const k = fineCounts[key] as number;
    if (k === 0) continue;
    if (first < 0 && (c + (fineMasses[key] as number)) * (1 + 2 * gamma) >= low) {
      first = key;
      aboveMass = c;
      aboveCount = tokens;
    }
    c += fineMasses[key] as number;
    tokens += k;
    if (c * (1 - 2 * gamma) >= high) {
      last = key;
      break;
    }
  }
  fineCounts.fill(0, 0, span);
  fineMasses.fill(0, 0, span);
  if (first < 0 || last < 0) return -1; // the cut lies below the bracket
  let kept = 0;
  for (let j = 0; j < count; j++) {
    const id = ids[j] as number;
    const key = ((bits[id] as number) >>> 10) - base;
    if (key >= last && key <= first) ids[kept++] = id;
  }
  found.above = aboveMass;
  found.aboveCount = aboveCount;
  found.hiBits = (base + first + 1) << 10;
  return kept;
}

/** The same from a histogram of every weight (when the sample missed). */
function histogramBracket(row: FastRow, low: number, high: number, gamma: number): number {
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
  const count = kernel.bracket(row.n, last << 16, (first + 1) << 16, BRACKET_CAP);
  if (count <= 0) return -1;
  found.above = aboveMass;
  found.aboveCount = aboveCount;
  found.hiBits = (first + 1) << 16;
  return count;
}
