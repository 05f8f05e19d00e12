/** Options of `entropy`. */
export interface EntropyOptions {
  /** `'nats'` (natural log, the default) or `'bits'` (log base 2). */
  unit?: 'nats' | 'bits';
  /**
   * Added inside the logarithm, `-Σ p ln(p + epsilon)`. Default 0, with `0 ln 0 = 0`.
   * The seed scripts used 1e-10; pass it to reproduce their numbers digit for digit.
   */
  epsilon?: number;
}

/**
 * Shannon entropy of a probability vector: `H = -Σ p_i ln p_i` in nats (or bits), summed
 * in float64, with `0 · ln 0 = 0`. The input is used as given (not renormalised).
 * Empty input gives 0.
 *
 * @example
 * entropy([0.5, 0.5]);                  // 0.6931 (ln 2)
 * entropy([0.5, 0.5], { unit: 'bits' }); // 1
 */
export function entropy(probs: ArrayLike<number>, options: EntropyOptions = {}): number {
  const epsilon = options.epsilon ?? 0;
  let sum = 0;
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i] as number;
    if (p > 0 || epsilon > 0) sum -= p * Math.log(p + epsilon);
  }
  if (sum === 0) sum = 0; // no negative zero
  return options.unit === 'bits' ? sum / Math.LN2 : sum;
}
