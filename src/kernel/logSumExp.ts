import { InvalidInputError } from '../core/errors.js';
import { kernelSumExp } from './sumExp.js';

/**
 * ln Σ_i exp(logits_i), computed stably in float64 as max + ln Σ exp(l_i − max). `-Infinity`
 * entries contribute nothing; NaN or `+Infinity` throw an `InvalidInputError`; all
 * `-Infinity` (or empty) gives `-Infinity`. The log-probability of token t is then
 * `logits[t] − logSumExp(logits)`.
 *
 * @example
 * logSumExp(new Float32Array([0, 0])); // 0.6931 (ln 2)
 */
export function logSumExp(logits: ArrayLike<number>): number {
  // Large rows: the same value from the kernel (`kernelSumExp`), else the loops below.
  if (logits instanceof Float32Array && logits.length >= 4096) {
    const fast = kernelSumExp(logits, NaN);
    if (fast !== undefined) return fast;
  }
  const max = maxLogit(logits);
  if (max === -Infinity) return -Infinity;
  return max + Math.log(sumExpShifted(logits, max));
}

/** The largest value, checking for NaN and +Infinity (`InvalidInputError`); −Infinity when empty or all −Infinity. */
export function maxLogit(logits: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    const value = logits[i] as number;
    if (value > max) max = value;
    else if (value !== value) throw new InvalidInputError(`logits[${i}] = NaN is not allowed: expected a finite number or -Infinity`);
  }
  if (max === Infinity) throw new InvalidInputError('logits contain Infinity: expected finite numbers or -Infinity');
  return max;
}

const SLOTS = 4096;
const EMPTY = 0x7fc00000; // the bits of a NaN, which never reaches the table
const slotKeys = new Int32Array(SLOTS);
const slotValues = new Float64Array(SLOTS);

/**
 * Σ_i exp(values_i − shift) in float64. The result is exactly the plain sum's: for a
 * `Float32Array`, exp is computed once per distinct value seen (a 4096-slot table keyed by
 * the float's bits), because language models' rows repeat few values over a large
 * vocabulary — an n-gram model's unseen tokens share one back-off probability.
 */
export function sumExpShifted(values: ArrayLike<number>, shift: number): number {
  return cumulativeExpShifted(values, shift);
}

/**
 * Fills `out[i]` with the running sum Σ_{j ≤ i} exp(values_j − shift) in float64 and
 * returns the total (the last entry): the cumulative distribution for drawing a token by
 * binary search. Uses the per-distinct-value table described at `sumExpShifted` for a
 * `Float32Array`; without `out` it only returns the total (that is `sumExpShifted`).
 */
export function cumulativeExpShifted(values: ArrayLike<number>, shift: number, out?: Float64Array): number {
  // Large rows without `out`: the same sum, from the kernel (`kernelSumExp`).
  if (!out && values instanceof Float32Array && values.length >= 4096) {
    const fast = kernelSumExp(values, shift);
    if (fast !== undefined) return fast;
  }
  let sum = 0;
  if (!(values instanceof Float32Array)) {
    for (let i = 0; i < values.length; i++) {
      sum += Math.exp((values[i] as number) - shift);
      if (out) out[i] = sum;
    }
    return sum;
  }
  const bits = new Int32Array(values.buffer, values.byteOffset, values.length);
  slotKeys.fill(EMPTY);
  for (let i = 0; i < values.length; i++) {
    const key = bits[i] as number;
    const slot = Math.imul(key ^ (key >>> 15), 0x2c1b3c6d) >>> 20;
    if (slotKeys[slot] === key) {
      sum += slotValues[slot] as number;
    } else {
      const term = Math.exp((values[i] as number) - shift);
      slotKeys[slot] = key;
      slotValues[slot] = term;
      sum += term;
    }
    if (out) out[i] = sum;
  }
  return sum;
}
