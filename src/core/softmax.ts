import { InvalidParameterError } from './errors.js';
import { validateLogits } from './validate.js';

/**
 * Numerically stable softmax: `p_i = exp(l_i - max) / Σ_j exp(l_j - max)`, with the
 * exponentials and the sum in float64 and the result rounded once to float32.
 * `-Infinity` logits get probability 0. Rejects NaN, `+Infinity`, empty and all-`-Infinity`
 * input with an `InvalidInputError`.
 *
 * @example
 * softmax(new Float32Array([2, 1.5, 1, 0.5, 0])); // ≈ [0.4287, 0.2600, 0.1577, 0.0956, 0.0580]
 */
export function softmax(logits: ArrayLike<number>, out?: Float32Array): Float32Array {
  const best = validateLogits(logits);
  const length = logits.length;
  const result = out ?? new Float32Array(length);
  const max = logits[best] as number;
  let sum = 0;
  for (let i = 0; i < length; i++) sum += Math.exp((logits[i] as number) - max);
  const inverse = 1 / sum;
  for (let i = 0; i < length; i++) result[i] = Math.exp((logits[i] as number) - max) * inverse;
  return result;
}

/**
 * Softmax of `logits / temperature`. `temperature = 0` gives a one-hot vector at the
 * first maximum (the limit T → 0+ with ties broken by the lower index). Rejects
 * `temperature < 0` or non-finite.
 *
 * @example
 * softmaxWithTemperature(new Float32Array([2, 1.5, 1, 0.5, 0]), 0.5)[0]; // ≈ 0.6364
 */
export function softmaxWithTemperature(logits: ArrayLike<number>, temperature: number, out?: Float32Array): Float32Array {
  if (typeof temperature !== 'number' || !(temperature >= 0) || !Number.isFinite(temperature)) {
    throw new InvalidParameterError('temperature', temperature, 'a finite number >= 0 (0 means greedy)');
  }
  const best = validateLogits(logits);
  const length = logits.length;
  const result = out ?? new Float32Array(length);
  if (temperature === 0) {
    result.fill(0);
    result[best] = 1;
    return result;
  }
  const max = logits[best] as number;
  const inverseT = 1 / temperature;
  let sum = 0;
  for (let i = 0; i < length; i++) sum += Math.exp(((logits[i] as number) - max) * inverseT);
  const inverse = 1 / sum;
  for (let i = 0; i < length; i++) result[i] = Math.exp(((logits[i] as number) - max) * inverseT) * inverse;
  return result;
}

