import { InvalidInputError, InvalidParameterError } from './errors.js';

/**
 * Checks that `logits` can define a distribution: non-empty, no NaN, no `+Infinity`,
 * and at least one finite value. `-Infinity` is allowed and means probability 0.
 * Returns the index of the first maximum.
 *
 * @example
 * validateLogits(new Float32Array([1, -Infinity, 3])); // 2
 */
export function validateLogits(logits: ArrayLike<number>, what = 'logits'): number {
  const length = logits.length;
  if (length === 0) throw new InvalidInputError(`${what} is empty: expected at least one value`);
  let best = -1;
  let bestValue = -Infinity;
  for (let i = 0; i < length; i++) {
    const value = logits[i] as number;
    if (value > bestValue) {
      bestValue = value;
      best = i;
    } else if (value !== value) {
      throw new InvalidInputError(`${what}[${i}] = NaN is not allowed: expected a finite number or -Infinity`);
    }
    if (value === Infinity) {
      throw new InvalidInputError(`${what}[${i}] = Infinity is not allowed: expected a finite number or -Infinity`);
    }
  }
  if (best < 0) throw new InvalidInputError(`${what} are all -Infinity: at least one must be finite`);
  return best;
}

/**
 * Checks probabilities: non-empty, every value finite and in [0, 1], and a positive sum.
 * They need not sum to exactly 1 (they are renormalised), but a sum far from 1 is
 * rejected when `tolerance` is given.
 *
 * @example
 * validateProbabilities([0.5, 0.3, 0.2]); // passes
 * validateProbabilities([0.5, 1.5]); // throws InvalidInputError: probs[1] = 1.5 is out of range: expected a probability in [0, 1]
 */
export function validateProbabilities(probs: ArrayLike<number>, what = 'probs', tolerance?: number): void {
  if (probs.length === 0) throw new InvalidInputError(`${what} is empty: expected at least one value`);
  let sum = 0;
  for (let i = 0; i < probs.length; i++) {
    const value = probs[i] as number;
    if (!(value >= 0 && value <= 1)) {
      throw new InvalidInputError(`${what}[${i}] = ${String(value)} is out of range: expected a probability in [0, 1]`);
    }
    sum += value;
  }
  if (sum <= 0) throw new InvalidInputError(`${what} sum to 0: at least one probability must be positive`);
  if (tolerance !== undefined && Math.abs(sum - 1) > tolerance) {
    throw new InvalidInputError(`${what} sum to ${sum}: expected 1 within ${tolerance}`);
  }
}

/** Asserts `value` is a number in [min, max] (inclusive both ends). */
export function checkRange(parameter: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !(value >= min && value <= max)) {
    throw new InvalidParameterError(parameter, value, `a number in [${min}, ${max}]`);
  }
  return value;
}

/** Asserts `value` is a finite number >= min. */
export function checkAtLeast(parameter: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new InvalidParameterError(parameter, value, `a finite number >= ${min}`);
  }
  return value;
}

/** Asserts `value` is an integer >= min. */
export function checkInteger(parameter: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`;
    throw new InvalidParameterError(parameter, value, range);
  }
  return value;
}
