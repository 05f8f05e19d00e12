import { gammaQ, logGamma } from '../analysis/gamma.js';
import { MIN_EXPECTED, poolCells } from './pooledFit.js';

/**
 * The critical value of the chi-square distribution: the `c` with P(χ²(df) ≥ c) = alpha,
 * found by bisection on the regularised upper incomplete gamma function (relative error
 * below 1e-12).
 *
 * @example
 * chiSquareCritical(1, 0.05); // 3.8415
 */
export function chiSquareCritical(degreesOfFreedom: number, alpha: number): number {
  let low = 0;
  let high = Math.max(1, degreesOfFreedom);
  while (gammaQ(degreesOfFreedom / 2, high / 2) > alpha) high *= 2;
  for (let i = 0; i < 200 && high - low > 1e-12 * high; i++) {
    const middle = (low + high) / 2;
    if (gammaQ(degreesOfFreedom / 2, middle / 2) > alpha) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/**
 * P(X ≥ x) for X noncentral chi-square with `df` degrees of freedom and noncentrality
 * `lambda`: the Poisson(λ/2) mixture of central chi-squares with df + 2j degrees of
 * freedom, summed outward from the Poisson mode until the remaining weight is below 1e-14.
 *
 * @example
 * noncentralChiSquareSurvival(3.8415, 1, 7.849); // 0.80 (Cohen's power table: df 1, α 0.05)
 */
export function noncentralChiSquareSurvival(x: number, degreesOfFreedom: number, lambda: number): number {
  if (lambda <= 0) return gammaQ(degreesOfFreedom / 2, x / 2);
  const mean = lambda / 2;
  const mode = Math.floor(mean);
  const weight = (j: number): number => Math.exp(-mean + j * Math.log(mean) - logGamma(j + 1));
  let total = 0;
  let covered = 0;
  for (let j = mode; ; j++) {
    const w = weight(j);
    total += w * gammaQ((degreesOfFreedom + 2 * j) / 2, x / 2);
    covered += w;
    if (w < 1e-16 && j > mode + 10) break;
  }
  for (let j = mode - 1; j >= 0; j--) {
    const w = weight(j);
    total += w * gammaQ((degreesOfFreedom + 2 * j) / 2, x / 2);
    covered += w;
    if (w < 1e-16 && j < mode - 10) break;
  }
  return Math.min(1, total / covered);
}

/**
 * The probability that `pooledFit` rejects `hypothesis` at level `alpha` after `n` draws
 * from `truth` (both probabilities over the same cells). Two ways to reject: a draw in a
 * cell the hypothesis gives probability 0 (chance `1 − (1 − m)^n`, m the truth's mass
 * there), else the likelihood-ratio statistic of the pooled cells beyond its critical value,
 * whose power is the noncentral chi-square's with λ = 2 n' Σ t ln(t / h) over the pooled
 * cells (n' = n(1 − m) draws, truth renormalised over them) — the usual asymptotic
 * approximation for power analysis. Cells the
 * hypothesis leaves unknown (NaN) are left out with the truth's draws there, as the test does.
 *
 * @example
 * rejectionPower([0.6, 0.4], [0.5, 0.5], 200, 0.05); // 0.81 (λ = 400 (0.6 ln 1.2 + 0.4 ln 0.8) = 8.05)
 */
export function rejectionPower(truth: ArrayLike<number>, hypothesis: ArrayLike<number>, n: number, alpha: number, minExpected = MIN_EXPECTED): number {
  let outside = 0;
  let truthMass = 0;
  let hypothesisMass = 0;
  let dropped = 0;
  let all = 0;
  for (let cell = 0; cell < truth.length; cell++) {
    const h = hypothesis[cell] as number;
    all += truth[cell] as number;
    if (Number.isNaN(h)) {
      dropped += truth[cell] as number;
      continue;
    }
    truthMass += truth[cell] as number;
    hypothesisMass += h;
    if (!(h > 0)) outside += truth[cell] as number;
  }
  const kept = all > 0 ? n * (1 - dropped / all) : n;
  const m = truthMass > 0 ? outside / truthMass : 0;
  const missAll = m >= 1 ? 0 : Math.exp(kept * Math.log1p(-m));
  const inside = kept * (1 - m);
  const { groups } = poolCells(hypothesis, inside, minExpected);
  let lambda = 0;
  for (const group of groups) {
    let t = 0;
    let h = 0;
    for (const cell of group) {
      t += (truth[cell] as number) / (truthMass - outside || 1);
      h += (hypothesis[cell] as number) / hypothesisMass;
    }
    if (t > 0) lambda += 2 * t * Math.log(t / h);
  }
  if (!Number.isFinite(lambda) || lambda < 0) lambda = 0;
  lambda *= inside;
  const degreesOfFreedom = groups.length - 1;
  const chiPower = degreesOfFreedom < 1 ? 0 : noncentralChiSquareSurvival(chiSquareCritical(degreesOfFreedom, alpha), degreesOfFreedom, lambda);
  return 1 - missAll * (1 - chiPower);
}

/**
 * The smallest number of draws, between `min` and `max`, at which `rejectionPower` reaches
 * `power`, or `Infinity` when even `max` draws do not. Doubling then bisection (power grows
 * with n, up to the small steps pooling makes).
 *
 * @example
 * drawsForPower([0.6, 0.4], [0.5, 0.5], 0.05, 0.8, { min: 10, max: 10_000 }); // 196
 */
export function drawsForPower(truth: ArrayLike<number>, hypothesis: ArrayLike<number>, alpha: number, power: number, range: { min: number; max: number }, minExpected = MIN_EXPECTED): number {
  const enough = (n: number): boolean => rejectionPower(truth, hypothesis, n, alpha, minExpected) >= power;
  if (enough(range.min)) return range.min;
  let low = range.min;
  let high = range.min;
  while (!enough(high)) {
    if (high >= range.max) return Infinity;
    low = high;
    high = Math.min(range.max, high * 2);
  }
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (enough(middle)) high = middle;
    else low = middle;
  }
  return high;
}
