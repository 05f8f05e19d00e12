import { validateLogits } from './validate.js';

/**
 * Numerically stable log-softmax: `l_i - max - ln Σ_j exp(l_j - max)`, in float64
 * internally. `-Infinity` logits stay `-Infinity`. Same input checks as `softmax`.
 *
 * @example
 * logSoftmax(new Float32Array([0, 0])); // [-0.6931, -0.6931]
 */
export function logSoftmax(logits: ArrayLike<number>, out?: Float32Array): Float32Array {
  const best = validateLogits(logits);
  const length = logits.length;
  const result = out ?? new Float32Array(length);
  const max = logits[best] as number;
  let sum = 0;
  for (let i = 0; i < length; i++) sum += Math.exp((logits[i] as number) - max);
  const shift = max + Math.log(sum);
  for (let i = 0; i < length; i++) result[i] = (logits[i] as number) - shift;
  return result;
}
