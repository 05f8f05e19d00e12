import { exp32 } from '../../core/exp.js';
import { ExactSum } from '../../core/exactSum.js';
import { BIN_COUNT, R_TOTAL } from '../../kernel/kernel.js';
import { MassCut } from '../cumulativeMass.js';
import { CertifiedCut } from './certifiedCut.js';
import { BRACKET_CAP, findWindow, found, HEAVY_ORDER, heavy, WINDOW } from './bracketWindow.js';
import { ORDER_DESCENDING, type FastRow } from './row.js';

/** Unit roundoff of float64. */
const U = 2 ** -53;

const CUT = new CertifiedCut();
const EXACT_CUT = new MassCut();
const EMPTY = new ExactSum();
const TOTAL = new ExactSum();
const ABOVE = new ExactSum();

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
  WINDOW[0] = total;
  WINDOW[1] = low;
  WINDOW[2] = high;
  WINDOW[3] = gamma;
  const count = findWindow(row);
  if (count < 0) return row.fail('top_p: the cut lies in a tie group larger than the bracket');
  kernel.sortIds(count);
  // The bracket's tokens in rank order: the gathered ones (sorted) merged with the heavy groups.
  const items = merge(row, count);
  // The items whose float64 prefix stays clearly below the cut join the mass above (within
  // bounds): only the few around the cut go through the exact sums.
  const from = skipBelow(row, items);
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
/** The weight fed (a typed array slot: a double argument would be boxed). */
const WEIGHT = new Float64Array(1);

/**
 * The first merged item that may hold the cut: every one before it has a float64 prefix (with
 * the mass above the bracket) certainly below `low`, a lower bound on p·total. Leaves their
 * token count and that prefix (within 4γ + 8u of the exact one) in `skipped`.
 */
function skipBelow(row: FastRow, items: number): number {
  const above = found.above;
  const low = WINDOW[1] as number;
  const gamma = WINDOW[3] as number;
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
