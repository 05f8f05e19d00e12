import { exp32 } from '../../core/exp.js';
import { ExactSum } from '../../core/exactSum.js';
import { ceilFloat32, floorFloat32 } from '../../core/float32.js';
import { BIN_COUNT, R_ABOVE, R_MOMENT, R_TOTAL } from '../../kernel/kernel.js';
import { MassCut } from '../cumulativeMass.js';
import { CertifiedCut } from './certifiedCut.js';
import { mostFrequentValues } from './heavyValues.js';
import { keepBand } from './keepBand.js';
import type { FastRow } from './row.js';
import { certainCentre } from './typicalCentre.js';
import { edge, estimateEdge, exactEdge } from './typicalEdge.js';

/** Unit roundoff of float64. */
const U = 2 ** -53;
const SAMPLE_STRIDE = 16;
/** Rows whose total weight (the top token's is 1) is below this take the exact edge at once. */
const SPREAD = 64;
const CAP = 1 << 16;

/**
 * Typical-p's exact rule (`knobs`) on any row, without sorting it. The rule ranks tokens by
 * their distance |v − μ| to the centre μ (the expected value, rounded once to float32), so the
 * kept set is a band of values around μ. One pass gives the exact weights and, in float64
 * with proven bounds, the sums that fix μ; a 1-in-16 sample of the distances places the
 * band's edge — or, when the mass sits in few tokens (the top one holds over 1/64 of it, as at
 * low temperatures) or the sample misses, a histogram of the whole row's mass by distance
 * (`typicalEdge.ts`: one pass, no sort); one pass (`Kernel.band`) sums the mass inside a narrower band and gathers the
 * tokens in the two shells around the edge (tie groups counted, not gathered); the shells in
 * rank order give the cut, certified against the sums' bounds or decided exactly. Returns false
 * (with a reason) when the row must take the reference path.
 *
 * @example
 * typicalBand(row, 0.95, 1);
 */
export function typicalBand(row: FastRow, p: number, minKeep: number): boolean {
  const kernel = row.kernel;
  const n = row.n;
  kernel.args[0] = row.max;
  kernel.weights(n, true);
  row.weightsTop = row.max;
  const total = kernel.results[R_TOTAL] as number;
  const gamma = n * U * 1.01;
  const centre = certainCentre(row, total, kernel.results[R_MOMENT] as number, gamma);
  if (centre !== centre) return row.fail('typical_p: the centre needs exact sums');
  // The band edge from a sample (where the sampled mass inside reaches p of the total), or —
  // when the top token alone holds over 1/SPREAD of the mass, which a sample may miss, or
  // when the sample misses — from the whole row's histogram.
  let exact = total < SPREAD;
  if (exact) {
    row.note('typical_p: exact edge');
    exactEdge(row, centre, p * total);
  } else if (!estimateEdge(row, centre, p * total)) return row.fail('typical_p: no sample');
  const low = p * total * (1 - 2 * gamma) * (1 - 4 * U);
  const high = p * total * (1 + 2 * gamma) * (1 + 4 * U);
  let count = -1;
  let placed = false;
  for (let attempt = 0; attempt < 4 && !placed; attempt++) {
    count = gatherShells(row, centre);
    row.note(count < 0 ? 'typical_p: shells > cap' : count < 64 ? 'typical_p: shells < 64' : count < 1024 ? 'typical_p: shells < 1024' : count < 8192 ? 'typical_p: shells < 8192' : 'typical_p: shells >= 8192');
    const inside = kernel.results[R_ABOVE] as number;
    const cutInside = count >= 0 && inside * (1 + 2 * gamma) >= low;
    const cutBeyond = count >= 0 && !cutInside && (inside + shellMass(row, count)) * (1 - 2 * gamma) < high;
    if (count >= 0 && !cutInside && !cutBeyond) placed = true;
    else if (!exact) {
      row.note('typical_p: exact edge');
      exactEdge(row, centre, p * total);
      exact = true;
    } else if (count < 0) return row.fail('typical_p: the band edge holds too many tokens');
    else if (cutInside) edge.lo = 0; // the cut may lie inside the inner band
    else edge.hi = edge.hi * 2 + edge.width; // the cut lies beyond the shells
  }
  if (!placed) return row.fail('typical_p: the sample missed the band edge');
  const items = order(row, count, centre);
  const inside = kernel.results[R_ABOVE] as number;
  CUT.reset(EMPTY, total * (1 - gamma), total * (1 + gamma), null, inside * (1 - gamma), inside * (1 + gamma), p);
  for (let k = 0; k < items; k++) if (CUT.feed(WEIGHT[k] as number, COUNT[k] as number)) break;
  let at = CUT.decided ? CUT.lateAt : 0;
  if (at === 0) {
    // Within the float64 sums' rounding: exact sums decide.
    exactBins(row, 0, -Infinity, Infinity, TOTAL);
    exactBins(row, 0, edge.a2, edge.b2, INSIDE);
    EXACT.reset(TOTAL, p);
    EXACT.seed(0, INSIDE);
    let tokens = 0;
    for (let k = 0; k < items && at === 0; k++) {
      const j = EXACT.feed(WEIGHT[k] as number, COUNT[k] as number);
      if (j > 0) at = tokens + j;
      tokens += COUNT[k] as number;
    }
    if (at === 0) return row.fail('typical_p: the cut is not in the shells');
  }
  const keep = kernel.aboveCount + at;
  if (keep < minKeep && keep < row.size) return row.fail('typical_p: min_keep above the typical set');
  return cutBand(row, items, at, centre, keep);
}

const CUT = new CertifiedCut();
const EXACT = new MassCut();
const EMPTY = new ExactSum();
const TOTAL = new ExactSum();
const INSIDE = new ExactSum();
const heavy = new Float64Array(4);
/** Shell items in rank order: value, weight, token count, id (-1 for a heavy group). */
const VALUE = new Float64Array(CAP + 4);
const WEIGHT = new Float64Array(CAP + 4);
const COUNT = new Int32Array(CAP + 4);
const ID = new Int32Array(CAP + 4);
const SEEN = new Float64Array(4096);

/** The band pass with the current edge (and the heavy values of the sample in its shells). */
function gatherShells(row: FastRow, centre: number): number {
  edge.a1 = floorFloat32(centre - edge.hi);
  edge.a2 = ceilFloat32(centre - edge.lo);
  edge.b2 = floorFloat32(centre + edge.lo);
  edge.b1 = ceilFloat32(centre + edge.hi);
  if (edge.a2 > edge.b2) edge.a2 = edge.b2 = centre;
  findHeavy(row);
  const args = row.kernel.args;
  args[0] = edge.a1;
  args[1] = edge.a2;
  args[2] = edge.b2;
  args[3] = edge.b1;
  for (let h = 0; h < 4; h++) args[4 + h] = heavy[h] as number;
  return row.kernel.band(row.n, CAP);
}

/** Values the sample hits at least twice in the shells: the four most frequent, into `heavy`. */
function findHeavy(row: FastRow): void {
  const x = row.values();
  let count = 0;
  for (let i = 0; i < row.n && count < SEEN.length; i += SAMPLE_STRIDE) {
    const v = x[i] as number;
    if ((v >= edge.a1 && v <= edge.a2) || (v >= edge.b2 && v <= edge.b1)) SEEN[count++] = v;
  }
  mostFrequentValues(SEEN, count, heavy);
}

/** The mass of the shells (gathered tokens and heavy groups), in float64. */
function shellMass(row: FastRow, count: number): number {
  const w = row.kernel.w;
  const ids = row.kernel.ids;
  let mass = 0;
  for (let i = 0; i < count; i++) mass += w[ids[i] as number] as number;
  for (let h = 0; h < 4; h++) if ((row.kernel.heavyCounts[h] as number) > 0) mass += (row.kernel.heavyCounts[h] as number) * exp32((heavy[h] as number) - row.max);
  return mass;
}

/**
 * The shell items in typicality order (distance ascending, then value descending, ids
 * ascending): the gathered tokens sorted by value split at the centre — the upper side read
 * upward, the lower side downward — merged by distance with the heavy groups.
 */
function order(row: FastRow, count: number, centre: number): number {
  const kernel = row.kernel;
  kernel.sortIds(count); // value descending, ids ascending
  const ids = kernel.ids;
  const x = row.values();
  const w = kernel.w;
  // Split: the upper side (v ≥ centre) is ids[0..split), the lower side after it.
  let split = 0;
  while (split < count && (x[ids[split] as number] as number) >= centre) split++;
  let up = split - 1; // walks the upper side toward the centre, run by run of equal values
  let upRun = -1; // start of the current run (runs keep ids ascending)
  let upAt = -1;
  let down = split;
  // Heavy groups by distance (then higher value), insertion-sorted: at most four.
  let heavyCount = 0;
  for (let g = 0; g < 4; g++) {
    if ((kernel.heavyCounts[g] as number) === 0) continue;
    let at = heavyCount++;
    while (at > 0 && after(heavy[HEAVY_ORDER[at - 1] as number] as number, heavy[g] as number, centre)) {
      HEAVY_ORDER[at] = HEAVY_ORDER[at - 1] as number;
      at--;
    }
    HEAVY_ORDER[at] = g;
  }
  let h = 0;
  let items = 0;
  while (true) {
    // The next upper token: runs of equal values from the centre outward, ids ascending within.
    if (upAt < 0 && up >= 0) {
      upRun = up;
      while (upRun > 0 && x[ids[upRun - 1] as number] === x[ids[up] as number]) upRun--;
      upAt = upRun;
    }
    const uValue = upAt >= 0 ? (x[ids[upAt] as number] as number) : NaN;
    const dValue = down < count ? (x[ids[down] as number] as number) : NaN;
    const hValue = h < heavyCount ? (heavy[HEAVY_ORDER[h] as number] as number) : NaN;
    // Smallest distance first; at equal distance the higher value.
    let pick = uValue === uValue ? 0 : -1;
    let best = uValue;
    if (dValue === dValue && (pick < 0 || after(best, dValue, centre))) {
      pick = 1;
      best = dValue;
    }
    if (hValue === hValue && (pick < 0 || after(best, hValue, centre))) pick = 2;
    if (pick < 0) break;
    if (pick === 0) {
      const id = ids[upAt] as number;
      items = push(items, uValue, w[id] as number, 1, id);
      upAt++;
      if (upAt > up) {
        up = upRun - 1;
        upAt = -1;
      }
    } else if (pick === 1) {
      const id = ids[down++] as number;
      items = push(items, dValue, w[id] as number, 1, id);
    } else {
      const g = HEAVY_ORDER[h++] as number;
      items = push(items, hValue, exp32(hValue - row.max), kernel.heavyCounts[g] as number, -1);
    }
  }
  return items;
}

/** Whether value a ranks after value b in typicality order (farther from the centre, or as far and lower). */
function after(a: number, b: number, centre: number): boolean {
  const ka = Math.abs(a - centre);
  const kb = Math.abs(b - centre);
  return ka > kb || (ka === kb && a < b);
}

function push(items: number, value: number, weight: number, size: number, id: number): number {
  VALUE[items] = value;
  WEIGHT[items] = weight;
  COUNT[items] = size;
  ID[items] = id;
  return items + 1;
}

const HEAVY_ORDER = new Int32Array(4);

/** Exact bins of the weights over a value band into `out`. */
function exactBins(row: FastRow, bits: number, below: number, above: number, out: ExactSum): void {
  const args = row.kernel.args;
  args[0] = bits;
  args[1] = below;
  args[2] = above;
  row.kernel.exactBins(row.n);
  out.clear();
  out.addAll(row.kernel.bins, BIN_COUNT);
}

/**
 * Keeps the band up to the `at`-th shell token (1-based): every value at a distance below the
 * crossing one's, then — at the crossing distance — the higher value before the lower, lowest
 * ids first within a value.
 */
function cutBand(row: FastRow, items: number, at: number, centre: number, keep: number): boolean {
  let tokens = 0;
  let k = 0;
  for (; k < items; k++) {
    if (tokens + (COUNT[k] as number) >= at) break;
    tokens += COUNT[k] as number;
  }
  const value = VALUE[k] as number;
  const j = at - tokens;
  let limit = ID[k] as number;
  if (limit < 0) {
    // A heavy group: its j-th lowest id.
    row.kernel.args[0] = value;
    row.kernel.args[1] = j;
    limit = row.kernel.kthEqual(row.n);
    if (limit < 0) return row.fail('typical_p: tie group changed');
  } else if (j !== 1) return row.fail('typical_p: item count');
  return keepBand(row, value, limit, centre, keep);
}
