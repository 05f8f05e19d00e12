import { exp32 } from '../../core/exp.js';
import { ExactSum } from '../../core/exactSum.js';
import { roundedRatio } from '../cumulativeMass.js';
import type { FastRow } from './row.js';

/** Unit roundoff of float64. */
const U = 2 ** -53;
const TOTAL = new ExactSum();
const MOMENT = new ExactSum();

/**
 * Typical-p's centre μ = fl32(Σw·v / Σw), the expected value of the row (w its exact weights,
 * already in the kernel): from the float64 sums `total` and `moment` (relative error bound
 * `gamma`) when their bounds decide the float32 rounding, else from exact sums (per tie group
 * when the row has them). Both give the value the reference computes from exact sums.
 *
 * @example
 * certainCentre(row, kernel.results[R_TOTAL], kernel.results[R_MOMENT], row.n * 2 ** -53);
 */
export function certainCentre(row: FastRow, total: number, moment: number, gamma: number): number {
  const magnitude = Math.max(Math.abs(row.max), Math.abs(row.min));
  const q = moment / total;
  const error = (gamma * (magnitude + Math.abs(q)) + 4 * U * Math.abs(q)) * (1 + 4 * gamma) + 1e-300;
  const candidate = Math.fround(q);
  if (Math.fround(q - error) === candidate && Math.fround(q + error) === candidate) return candidate;
  // Too close to a float32 midpoint: the exact sums (from the groups when the row has them).
  row.note('typical_p: exact centre');
  TOTAL.clear();
  MOMENT.clear();
  const max = row.max;
  if (row.buildGroups()) {
    const groups = row.groups;
    for (let g = 0; g < groups.count; g++) {
      const mass = (groups.counts[g] as number) * exp32((groups.values[g] as number) - max);
      TOTAL.add(mass);
      MOMENT.addProduct(mass, groups.values[g] as number);
    }
  } else {
    const x = row.values();
    const w = row.kernel.w;
    for (let i = 0; i < row.n; i++) {
      const v = x[i] as number;
      if (!(v > -Infinity)) continue;
      TOTAL.addShort(w[i] as number);
      MOMENT.addProduct(w[i] as number, v);
    }
  }
  return roundedRatio(MOMENT, TOTAL);
}
