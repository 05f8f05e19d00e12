/** Modified Kneser-Ney's three discounts of one n-gram level: for counts 1, 2 and ≥ 3. */
export type Discounts = readonly [d1: number, d2: number, d3plus: number];

/**
 * Chen and Goodman's (1998) estimates of the three discounts of modified Kneser-Ney from
 * the count-of-counts n1 … n4 of one level (n_r = how many n-grams have count exactly r):
 *
 *   Y = n1 / (n1 + 2 n2),  D1 = 1 − 2Y n2/n1,  D2 = 2 − 3Y n3/n2,  D3+ = 3 − 4Y n4/n3.
 *
 * Each D_r is clamped to [0, r] (a discount never exceeds the count it discounts); a value
 * that is undefined because some n_r is 0 becomes 0 (no discount).
 *
 * @example
 * kneserNeyDiscounts([4, 2, 1, 1]); // Y = 0.5: [0.5, 1.25, 1]
 */
export function kneserNeyDiscounts(countOfCounts: readonly [number, number, number, number]): Discounts {
  const [n1, n2, n3, n4] = countOfCounts;
  const y = n1 / (n1 + 2 * n2);
  const estimate = (r: number, value: number): number => (Number.isFinite(value) ? Math.min(r, Math.max(0, value)) : 0);
  return [estimate(1, 1 - (2 * y * n2) / n1), estimate(2, 2 - (3 * y * n3) / n2), estimate(3, 3 - (4 * y * n4) / n3)];
}

/**
 * The count-of-counts n1 … n4 of a list of counts (n4 counts exactly 4).
 *
 * @example
 * countOfCounts([1, 1, 2, 4, 5]); // [2, 1, 0, 1]: two 1s, one 2, no 3, one 4
 */
export function countOfCounts(counts: ArrayLike<number>): [number, number, number, number] {
  const result: [number, number, number, number] = [0, 0, 0, 0];
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i] as number;
    if (count >= 1 && count <= 4) result[count - 1] = (result[count - 1] as number) + 1;
  }
  return result;
}

/** The discount of one count: 0 for 0, else D1, D2 or D3+. */
export function discountOf(discounts: Discounts, count: number): number {
  return count === 0 ? 0 : count === 1 ? discounts[0] : count === 2 ? discounts[1] : discounts[2];
}
