/**
 * Natural log of the gamma function for x > 0: the Stirling series with five terms,
 * after shifting x up to at least 15 with `ln Γ(x) = ln Γ(x + 1) − ln x`; absolute error
 * below 1e-13.
 *
 * @example
 * logGamma(5); // ln 24 = 3.1781
 */
export function logGamma(x: number): number {
  let shift = 0;
  let value = x;
  while (value < 15) {
    shift += Math.log(value);
    value += 1;
  }
  const inverse = 1 / value;
  const inverse2 = inverse * inverse;
  const series = inverse * (1 / 12 - inverse2 * (1 / 360 - inverse2 * (1 / 1260 - inverse2 * (1 / 1680 - inverse2 / 1188))));
  return (value - 0.5) * Math.log(value) - value + 0.5 * Math.log(2 * Math.PI) + series - shift;
}

/**
 * Regularised upper incomplete gamma function `Q(a, x) = Γ(a, x) / Γ(a)`: series for
 * x < a + 1, Lentz's continued fraction otherwise (Numerical Recipes §6.2).
 *
 * @example
 * gammaQ(1, 2); // e^-2 = 0.1353
 */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  const logPrefix = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return Math.max(0, 1 - sum * Math.exp(logPrefix));
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.min(1, Math.exp(logPrefix) * h);
}
