/**
 * Index of the first maximum of `values` (ties go to the lowest index); -1 for empty input.
 * NaN never wins.
 *
 * @example
 * argmax(new Float32Array([1, 3, 3])); // 1
 */
export function argmax(values: ArrayLike<number>): number {
  let best = -1;
  let bestValue = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    if (value > bestValue || (best < 0 && value === -Infinity)) {
      bestValue = value;
      best = i;
    }
  }
  return best;
}
