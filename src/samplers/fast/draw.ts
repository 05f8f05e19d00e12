import { ExactSum } from '../../core/exactSum.js';
import { exactTotal } from './mass.js';
import type { FastRow } from './row.js';

/** Blocks of 2^10 ids for the draw over a large live set. */
const BLOCK_SHIFT = 10;
/** Unit roundoff of float64. */
const U = 2 ** -53;
const TOTAL = new ExactSum();

/**
 * `drawToken`'s rule over a large implicit live set: ascending ids, weights exp32(v − max),
 * a float64 running sum, the first id whose running sum exceeds u × total (the last live id if
 * none does). Block sums (one SIMD pass, any order inside) locate the token; the rule's own
 * float64 sums lie within proven bounds of them, and when a boundary falls within those bounds
 * the rule is replayed exactly in id order.
 *
 * @example
 * drawImplicit(row, rng.nextFloat()); // the token drawToken would return for the same u
 */
export function drawImplicit(row: FastRow, u: number): number {
  row.ensureWeights();
  const kernel = row.kernel;
  const n = row.n;
  // The live set: every live token, or those ranked at or before a pending cut.
  const loV = row.pending ? row.pendingValue : -Infinity;
  const loId = row.pending ? row.pendingId : -1;
  kernel.args[0] = loV;
  kernel.args[1] = loId;
  const blocks = kernel.blockSums(n, BLOCK_SHIFT);
  const sums = kernel.blocks;
  let total = 0;
  for (let b = 0; b < blocks; b++) total += sums[b] as number;
  const gamma = row.size * U * 1.01;
  const low = u * total * (1 - 2 * gamma) * (1 - 4 * U);
  const high = u * total * (1 + 2 * gamma) * (1 + 4 * U);
  const x = row.values();
  const w = kernel.w;
  let prefix = 0;
  let block = 0;
  while (block < blocks - 1 && (prefix + (sums[block] as number)) * (1 + 2 * gamma) <= low) prefix += sums[block++] as number;
  let c = prefix;
  let possible = -1;
  for (let i = block << BLOCK_SHIFT; i < n; i++) {
    const v = x[i] as number;
    if (!(v > -Infinity) || v < loV || (v === loV && i > loId)) continue;
    c += w[i] as number;
    if (possible < 0 && c * (1 + 2 * gamma) > low) possible = i;
    if (c * (1 - 2 * gamma) > high) {
      if (possible === i) return i;
      break;
    }
  }
  // Within rounding of a boundary: the rule itself, in id order.
  let exact = 0;
  let lastId = -1;
  for (let i = 0; i < n; i++) {
    const v = x[i] as number;
    if (v > -Infinity && (v > loV || (v === loV && i <= loId))) {
      exact += w[i] as number;
      lastId = i;
    }
  }
  const target = u * exact;
  let cumulative = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i] as number;
    if (!(v > -Infinity) || v < loV || (v === loV && i > loId)) continue;
    cumulative += w[i] as number;
    if (cumulative > target) return i;
  }
  return lastId;
}

/**
 * The final distribution of an implicit live set into `out` (and the kept set into `kept`):
 * `exp32(v − max) × (1 / S)` with S the exact total rounded once, as `Candidates.writeDistribution`.
 *
 * @example
 * writeImplicit(row, out, mask); // out[i] = 0 for removed tokens, mask[i] = 1 for kept ones
 */
export function writeImplicit(row: FastRow, out: Float32Array, kept?: Uint8Array): void {
  row.flush();
  row.ensureWeights();
  exactTotal(row, TOTAL);
  const kernel = row.kernel;
  kernel.args[0] = 1 / TOTAL.rounded();
  kernel.writeProbabilities(row.n);
  row.weightsTop = NaN; // w now holds probabilities
  const w = kernel.w;
  const n = row.n;
  for (let i = 0; i < n; i++) out[i] = w[i] as number;
  if (kept) {
    const x = row.values();
    for (let i = 0; i < n; i++) kept[i] = (x[i] as number) > -Infinity ? 1 : 0;
  }
}
