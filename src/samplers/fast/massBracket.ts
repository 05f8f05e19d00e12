import { exp32 } from '../../core/exp.js';
import { ExactSum } from '../../core/exactSum.js';
import { BIN_COUNT, HISTOGRAM_KEYS, R_ABOVE, R_TOTAL } from '../../kernel/kernel.js';
import { MassCut } from '../cumulativeMass.js';
import { CertifiedCut } from './certifiedCut.js';
import { mostFrequentValues } from './heavyValues.js';
import { ORDER_DESCENDING, type FastRow } from './row.js';

/** Unit roundoff of float64. */
const U = 2 ** -53;
/** One weight in this many is sampled to place the cut. */
const SAMPLE_STRIDE = 16;
/** Histogram keys (float32 bits >>> 16, 1/128 of a binade each) added on each side of the window. */
const BRACKET_KEYS = 2;
/** Relative uncertainty allowed to the sample's estimate of the mass below the cut. */
const MARGIN = 0.05;
/** Largest bracket gathered around the cut. */
const BRACKET_CAP = 1 << 16;

const CUT = new CertifiedCut();
const EXACT_CUT = new MassCut();
const EMPTY = new ExactSum();
const TOTAL = new ExactSum();
const ABOVE = new ExactSum();
const sampleCounts = new Int32Array(HISTOGRAM_KEYS);
const sampleMasses = new Float64Array(HISTOGRAM_KEYS);
let bitsView: Int32Array = new Int32Array(0);
let bitsSource: Float32Array | null = null;
/** Results of the bracket searches: mass and count above the bracket, and its lowest bits. */
const found = { above: 0.5, aboveCount: 0, hiBits: 0 };

/**
 * Top-p's exact rule on a large nucleus (path 2 of `fastTopP`): the exact weights in one pass,
 * then the tokens around the cut — placed by a 1-in-16 sample of the weights (from the bottom,
 * where the mass below the cut is spread thin) and gathered with the mass above them in one
 * pass (`Kernel.bracket`); values that the sample shows many times there (the tie groups of
 * real rows) are counted in that pass rather than gathered. The cut among them is certified
 * against the float64 sums' error bounds, or decided with exact sums; a tie group at the cut
 * is cut by id. The cut is left pending: the draw reads it without writing the row.
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
  if (count < 0) {
    row.note('top_p: full histogram');
    count = histogramBracket(row, low, high, gamma);
  }
  if (count < 0) return row.fail('top_p: the cut lies in a tie group larger than the bracket');
  kernel.sortIds(count);
  // The bracket's tokens in rank order: the gathered ones (sorted) merged with the heavy groups.
  const items = merge(row, count);
  // The items whose float64 prefix stays clearly below the cut join the mass above (within
  // bounds): only the few around the cut go through the exact sums.
  const from = skipBelow(row, items, found.above, low, gamma);
  const start = skipped.mass;
  const bounds = CUT.bounds;
  bounds[0] = total * (1 - gamma);
  bounds[1] = total * (1 + gamma);
  bounds[2] = start * (1 - 4 * gamma) * (1 - 8 * U);
  bounds[3] = start * (1 + 4 * gamma) * (1 + 8 * U);
  CUT.resetBounds(EMPTY, null, p);
  feedItems(row, items, CUT, from);
  let at = CUT.decided ? skipped.tokens + CUT.lateAt : 0;
  if (at === 0) {
    // Within the float64 sums' rounding: exact sums decide.
    kernel.args[0] = 0;
    kernel.args[1] = -Infinity;
    kernel.args[2] = Infinity;
    kernel.exactBins(n);
    TOTAL.clear();
    TOTAL.addAll(kernel.bins, BIN_COUNT);
    kernel.args[0] = found.hiBits;
    kernel.args[1] = -Infinity;
    kernel.args[2] = Infinity;
    kernel.exactBins(n);
    ABOVE.clear();
    ABOVE.addAll(kernel.bins, BIN_COUNT);
    EXACT_CUT.reset(TOTAL, p);
    EXACT_CUT.seed(0, ABOVE);
    at = feedItems(row, items, EXACT_CUT, 0);
    if (at === 0) return row.fail('top_p: the cut is not in the bracket');
  }
  const keep = Math.max(found.aboveCount + at, minKeep);
  row.order = ORDER_DESCENDING;
  if (keep >= row.size) return true;
  return cutAt(row, items, keep - found.aboveCount);
}

/** Heavy values found in the sample (at most 4; NaN for none). */
const heavy = new Float64Array(4);
/** Merged rank order: item ≥ 0 is a gathered token's position in `kernel.ids`, -1 - h heavy group h. */
const ITEMS = new Int32Array(BRACKET_CAP + 4);

/** Merges the sorted gathered ids with the heavy groups (by value descending); returns the item count. */
function merge(row: FastRow, count: number): number {
  const x = row.values();
  const ids = row.kernel.ids;
  const heavyCounts = row.kernel.heavyCounts;
  let items = 0;
  let h = 0;
  const order = HEAVY_ORDER;
  for (let i = 0; i <= count; i++) {
    const v = i < count ? (x[ids[i] as number] as number) : -Infinity;
    while (h < 4 && (heavy[order[h] as number] as number) > v) {
      if ((heavyCounts[order[h] as number] as number) > 0) ITEMS[items++] = -1 - (order[h] as number);
      h++;
    }
    if (i < count) ITEMS[items++] = i;
  }
  return items;
}
const HEAVY_ORDER = new Int32Array(4);
/** The weight fed (a typed array slot: a double argument would be boxed). */
const WEIGHT = new Float64Array(1);

/**
 * The first merged item that may hold the cut: every one before it has a float64 prefix (with
 * the mass above the bracket) certainly below `low`, a lower bound on p·total. Leaves their
 * token count and that prefix (within 4γ + 8u of the exact one) in `skipped`.
 */
function skipBelow(row: FastRow, items: number, above: number, low: number, gamma: number): number {
  const w = row.kernel.w;
  const ids = row.kernel.ids;
  const heavyCounts = row.kernel.heavyCounts;
  const max = row.max;
  const limit = low / ((1 + 4 * gamma) * (1 + 8 * U));
  let mass = above;
  let tokens = 0;
  let k = 0;
  for (; k < items; k++) {
    const item = ITEMS[k] as number;
    const count = item >= 0 ? 1 : (heavyCounts[-1 - item] as number);
    const run = item >= 0 ? (w[ids[item] as number] as number) : count * exp32((heavy[-1 - item] as number) - max);
    if (!(mass + run < limit)) break;
    mass += run;
    tokens += count;
  }
  skipped.mass = mass;
  skipped.tokens = tokens;
  return k;
}
const skipped = { mass: 0.5, tokens: 0 };

/** Feeds the merged items from `from` to a cut; returns the 1-based count of tokens (within the bracket, from item 0) where it crossed, or 0. */
function feedItems(row: FastRow, items: number, cut: CertifiedCut | MassCut, from: number): number {
  const w = row.kernel.w;
  const ids = row.kernel.ids;
  const heavyCounts = row.kernel.heavyCounts;
  const max = row.max;
  let tokens = 0;
  for (let k = from; k < items; k++) {
    const item = ITEMS[k] as number;
    WEIGHT[0] = item >= 0 ? (w[ids[item] as number] as number) : exp32((heavy[-1 - item] as number) - max);
    const count = item >= 0 ? 1 : (heavyCounts[-1 - item] as number);
    if (cut instanceof CertifiedCut) {
      if (cut.feedAt(WEIGHT, 0, count)) return 0; // the caller reads the ends
    } else {
      const j = cut.feedAt(WEIGHT, 0, count);
      if (j > 0) return tokens + j;
    }
    tokens += count;
  }
  return 0;
}

/** Keeps the first `keep` tokens of the bracket's rank order (and everything above it), pending. */
function cutAt(row: FastRow, items: number, keep: number): boolean {
  const ids = row.kernel.ids;
  const heavyCounts = row.kernel.heavyCounts;
  const x = row.values();
  let tokens = 0;
  for (let k = 0; k < items; k++) {
    const item = ITEMS[k] as number;
    const count = item >= 0 ? 1 : (heavyCounts[-1 - item] as number);
    if (tokens + count >= keep) {
      const kept = found.aboveCount + keep;
      if (item >= 0) {
        const id = ids[item] as number;
        row.cut(x[id] as number, id, kept);
        return true;
      }
      const value = heavy[-1 - item] as number;
      const j = keep - tokens;
      let limit = 0x7fffffff;
      if (j < count) {
        row.kernel.args[0] = value;
        row.kernel.args[1] = j;
        limit = row.kernel.kthEqual(row.n);
        if (limit < 0) return row.fail('top_p: tie group changed');
      }
      row.cut(value, limit, kept);
      return true;
    }
    tokens += count;
  }
  return row.fail('top_p: min_keep reaches beyond the bracket');
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
  const bits = weightBits(row);
  const x = row.values();
  let count = 0;
  for (let i = 0; i < row.n && count < SEEN.length; i += SAMPLE_STRIDE) {
    const b = bits[i] as number;
    if (b >= lo && b < hi) SEEN[count++] = x[i] as number;
  }
  mostFrequentValues(SEEN, count, heavy);
}
const SEEN = new Float64Array(4096);

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
  findHeavy(row, last << 16, (first + 1) << 16);
  const count = gatherBracket(row, last << 16, (first + 1) << 16);
  if (count < 0) return -1;
  found.above = aboveMass;
  found.aboveCount = aboveCount;
  found.hiBits = (first + 1) << 16;
  return count;
}
