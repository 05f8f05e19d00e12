/**
 * Counts the n-grams of one sequence of symbols: contiguous windows of `n` symbols, keyed
 * by the symbols joined with a space. A sequence shorter than `n` has none.
 *
 * @example
 * ngramCounts(Int32Array.from([0, 1, 0, 1]), 2); // Map { '0 1' => 2, '1 0' => 1 }
 */
export function ngramCounts(symbols: ArrayLike<number>, n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let start = 0; start + n <= symbols.length; start++) {
    let key = String(symbols[start]);
    for (let offset = 1; offset < n; offset++) key += ` ${String(symbols[start + offset])}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
