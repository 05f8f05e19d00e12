import { GROUP_LIMIT_FOR_SUMS, R_MAX, R_NAN, R_SUM, TABLE_SIZE } from './kernel.js';
import { getKernel } from './index.js';

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/**
 * Σ_i Math.exp(values_i − shift) in float64, added in index order — the same float64 sum as
 * the plain loop — with `Math.exp` once per distinct value and the sum in the kernel: one
 * pass finds the distinct values (`Kernel.distinct`), one adds each token's term in order
 * (`Kernel.slotSum64`). With `shift` NaN, the shift is the maximum (found by `Kernel.scan`,
 * which also rejects NaN and +Infinity) and the result is ln Σ exp + max, the log-sum-exp.
 * Returns undefined when the row has too many distinct values or invalid entries (the
 * caller then runs the plain loop, which names the bad value). `-Infinity` entries add 0.
 *
 * @example
 * kernelSumExp(logits, NaN); // logSumExp(logits)
 */
export function kernelSumExp(values: Float32Array, shift: number): number | undefined {
  const kernel = getKernel('auto');
  const n = values.length;
  kernel.reserve(n);
  kernel.load(values, 0, n);
  let offset = shift;
  if (shift !== shift) {
    kernel.scan(n);
    const max = kernel.results[R_MAX] as number;
    if (kernel.results[R_NAN] !== 0 || max === Infinity) return undefined;
    if (max === -Infinity) return -Infinity;
    offset = max;
  }
  if (kernel.distinct(n, GROUP_LIMIT_FOR_SUMS) < 0) return undefined;
  const keys = kernel.tableKeys;
  const counts = kernel.tableCounts;
  const terms = kernel.slotValues64;
  for (let slot = 0; slot < TABLE_SIZE; slot++) {
    if ((counts[slot] as number) === 0) continue;
    U32[0] = keys[slot] as number;
    terms[slot] = Math.exp((F32[0] as number) - offset);
  }
  kernel.slotSum64(n);
  const sum = kernel.results[R_SUM] as number;
  return shift !== shift ? offset + Math.log(sum) : sum;
}
