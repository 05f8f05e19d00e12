import type { FastRow } from './row.js';

const SAMPLE_STRIDE = 16;
const BINS = 2048;
const EXACT_BINS = 8192;

/** The band: inner (a2, b2) and shells [a1, a2], [b2, b1]; distances lo < hi; a bin's width. */
export const edge = { lo: 0.5, hi: 0.5, width: 0.5, a1: 0.5, a2: 0.5, b2: 0.5, b1: 0.5 };
const sampledMass = new Float64Array(BINS);
const sampledSquares = new Float64Array(BINS);
const binMass = new Float64Array(EXACT_BINS);

/**
 * Places typical-p's band edge (distances `edge.lo` < `edge.hi` from the centre) from a
 * 1-in-16 sample of the row: where the sampled mass inside reaches `target` / 16, ± three
 * standard deviations. False without a sample. Cheap, and right when the mass is spread over
 * many tokens; rows whose mass sits in few tokens (low temperatures) need `exactEdge`.
 *
 * @example
 * estimateEdge(row, centre, 0.95 * total);
 */
export function estimateEdge(row: FastRow, centre: number, target: number): boolean {
  const x = row.values();
  const w = row.kernel.w;
  const span = Math.max(row.max - centre, centre - row.min, 1e-30);
  const scale = BINS / span;
  sampledMass.fill(0);
  sampledSquares.fill(0);
  let sampled = 0;
  for (let i = 0; i < row.n; i += SAMPLE_STRIDE) {
    const v = x[i] as number;
    if (!(v > -Infinity)) continue;
    const bin = Math.min(BINS - 1, Math.floor(Math.abs(v - centre) * scale));
    const e = w[i] as number;
    sampledMass[bin] = (sampledMass[bin] as number) + e;
    sampledSquares[bin] = (sampledSquares[bin] as number) + e * e;
    sampled++;
  }
  if (sampled === 0) return false;
  const want = target / SAMPLE_STRIDE;
  let mass = 0;
  let squares = 0;
  let first = -1;
  let last = BINS - 1;
  for (let bin = 0; bin < BINS; bin++) {
    mass += sampledMass[bin] as number;
    squares += sampledSquares[bin] as number;
    const spread = 3 * Math.sqrt(squares) + 1e-9 * want;
    if (first < 0 && mass + spread >= want) first = bin;
    if (mass - spread >= want) {
      last = bin;
      break;
    }
  }
  if (first < 0) first = BINS - 1;
  edge.width = span / BINS;
  edge.lo = Math.max(0, first - 1) * edge.width;
  edge.hi = (last + 2) * edge.width;
  return true;
}

/**
 * Places the band edge from the whole row: the weights' mass per distance bin (8192 bins of
 * equal width over the distances), summed in float64 (relative error far below the 1e-9
 * margin taken on each side), and the bins where the mass inside crosses `target`, one bin
 * of margin each way. One pass, no sort: the cost is linear in the row.
 *
 * @example
 * exactEdge(row, centre, 0.95 * total);
 */
export function exactEdge(row: FastRow, centre: number, target: number): void {
  const x = row.values();
  const w = row.kernel.w;
  const span = Math.max(row.max - centre, centre - row.min, 1e-30);
  const scale = EXACT_BINS / span;
  const top = EXACT_BINS - 1;
  binMass.fill(0);
  const n = row.n;
  for (let i = 0; i < n; i++) {
    const v = x[i] as number;
    if (!(v > -Infinity)) continue;
    const d = Math.abs(v - centre) * scale;
    const bin = d < top ? Math.floor(d) : top;
    binMass[bin] = (binMass[bin] as number) + (w[i] as number);
  }
  const below = target * (1 - 1e-9);
  const above = target * (1 + 1e-9);
  let mass = 0;
  let first = -1;
  let last = top;
  for (let bin = 0; bin < EXACT_BINS; bin++) {
    mass += binMass[bin] as number;
    if (first < 0 && mass >= below) first = bin;
    if (mass >= above) {
      last = bin;
      break;
    }
  }
  if (first < 0) first = top;
  edge.width = span / EXACT_BINS;
  edge.lo = Math.max(0, first - 1) * edge.width;
  edge.hi = (last + 2) * edge.width;
}
