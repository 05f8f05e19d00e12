/**
 * Wilson score interval of a binomial proportion: for `successes` of `trials`,
 * `(p̂ + z²/2n ± z √(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n)` with `p̂ = successes / trials`.
 * Unlike the normal approximation it stays inside [0, 1] and is not empty at 0 or n
 * successes. `z = 1.959964` gives 95%.
 *
 * @example
 * wilsonInterval(0, 1000);   // { low: 0, high: ≈ 0.00383 }
 * wilsonInterval(500, 1000); // { low: ≈ 0.4691, high: ≈ 0.5309 }
 */
export function wilsonInterval(successes: number, trials: number, z = 1.959963984540054): { low: number; high: number } {
  if (!(trials > 0)) return { low: 0, high: 1 };
  const phat = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const center = (phat + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((phat * (1 - phat)) / trials + z2 / (4 * trials * trials))) / denominator;
  // At 0 or n successes the bound is exactly 0 or 1; rounding must not move it past p̂.
  return { low: successes <= 0 ? 0 : Math.max(0, center - half), high: successes >= trials ? 1 : Math.min(1, center + half) };
}
