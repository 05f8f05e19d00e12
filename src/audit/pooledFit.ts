import { chiSquareTest } from '../analysis/chiSquare.js';
import { gammaQ } from '../analysis/gamma.js';

/** The cells a pooled test ends up comparing: groups of the original cells. */
export interface PooledCells {
  /** `groups[g]` lists the original cells pooled into cell g. */
  readonly groups: readonly (readonly number[])[];
  /** Original cells of expected probability 0 (tested apart: one draw there rejects). */
  readonly impossible: readonly number[];
  /** Cells whose probability the model does not know (NaN): left out, with their draws (the test is conditional on the others). */
  readonly unknown: readonly number[];
}

/** A goodness-of-fit test after pooling, or the impossibility that decided it. */
export interface PooledFit {
  /** P-value of the likelihood-ratio statistic (G, Williams-corrected); 0 when a draw fell in a cell of probability 0. */
  readonly pValue: number;
  /** The likelihood-ratio statistic G = 2 Σ O ln(O / E) over the pooled cells. */
  readonly g: number;
  /** Pearson's statistic Σ (O − E)² / E over the same cells (for reference). */
  readonly chi2: number;
  readonly degreesOfFreedom: number;
  /** Cells after pooling (with expected count > 0). */
  readonly cells: number;
  /** The cell of probability 0 with the most draws, when there was one. */
  readonly impossible?: { readonly cell: number; readonly count: number };
}

/** The smallest expected count of a pooled cell (Cochran's rule of thumb). */
export const MIN_EXPECTED = 5;

/**
 * Groups cells for a chi-square test of `n` draws against probabilities `expected`: cells
 * of probability 0 are set apart, and so are cells of unknown probability (NaN, left out);
 * the others, smallest expected count first, are pooled
 * into one cell while its expected count is below `minExpected` (the pool then takes the
 * next smallest cell until it reaches it, or nothing is left); every other cell stays
 * alone. The pooling depends on `expected` and `n` only, never on the observed counts.
 *
 * @example
 * poolCells([0.5, 0.45, 0.03, 0.02, 0], 100).groups; // [[3, 2], [1], [0]]  (0.02 + 0.03 pooled: 5 expected)
 */
export function poolCells(expected: ArrayLike<number>, n: number, minExpected = MIN_EXPECTED): PooledCells {
  const impossible: number[] = [];
  const unknown: number[] = [];
  const positive: number[] = [];
  let mass = 0;
  for (let cell = 0; cell < expected.length; cell++) {
    const p = expected[cell] as number;
    if (Number.isNaN(p)) unknown.push(cell);
    else if (p > 0) {
      positive.push(cell);
      mass += p;
    } else impossible.push(cell);
  }
  positive.sort((a, b) => (expected[a] as number) - (expected[b] as number) || a - b);
  const count = (cell: number): number => ((expected[cell] as number) / mass) * n;
  const groups: number[][] = [];
  let index = 0;
  const pool: number[] = [];
  let pooled = 0;
  while (index < positive.length && count(positive[index] as number) < minExpected) {
    const cell = positive[index++] as number;
    pool.push(cell);
    pooled += count(cell);
  }
  while (pool.length > 0 && pooled < minExpected && index < positive.length) {
    const cell = positive[index++] as number;
    pool.push(cell);
    pooled += count(cell);
  }
  if (pool.length > 0) groups.push(pool);
  for (; index < positive.length; index++) groups.push([positive[index] as number]);
  return { groups, impossible, unknown };
}

/**
 * The likelihood-ratio (G) test of observed counts against expected probabilities, with the
 * cells pooled by `poolCells` (so that every tested cell expects at least `minExpected`
 * draws): G = 2 Σ O ln(O / E), divided by Williams' correction q = 1 + (k² − 1) / (6 n ν)
 * for k cells and ν = k − 1 degrees of freedom, against the chi-square distribution with ν
 * degrees of freedom. Cells of probability 0 are tested exactly: a single draw in one
 * rejects (`pValue: 0`, and `impossible` names the cell). Cells of unknown probability (NaN)
 * are left out with their draws: the test is then of the distribution given the other cells
 * (the known probabilities renormalised). One pooled cell gives `pValue: 1`. Pearson's
 * statistic of the same cells is given too. The likelihood ratio is the more powerful of the
 * two against the alternatives the audit plans for: a knob that removes tokens leaves cells
 * with no draws, which Pearson's statistic weighs half as much.
 *
 * @example
 * pooledFit([48, 52, 0], [0.5, 0.5, 0]).pValue; // 0.69 (G = 0.16, 1 degree of freedom)
 * pooledFit([48, 50, 2], [0.5, 0.5, 0]).pValue; // 0: two draws where none can fall
 */
export function pooledFit(observed: ArrayLike<number>, expected: ArrayLike<number>, minExpected = MIN_EXPECTED): PooledFit {
  let n = 0;
  for (let cell = 0; cell < observed.length; cell++) if (!Number.isNaN(expected[cell] as number)) n += observed[cell] as number;
  const { groups, impossible } = poolCells(expected, n, minExpected);
  const degreesOfFreedom = Math.max(groups.length - 1, 0);
  let worst: { cell: number; count: number } | undefined;
  for (const cell of impossible) {
    const count = observed[cell] as number;
    if (count > 0 && (worst === undefined || count > worst.count)) worst = { cell, count };
  }
  if (worst !== undefined) return { pValue: 0, g: Infinity, chi2: Infinity, degreesOfFreedom, cells: groups.length, impossible: worst };
  const pooledObserved = groups.map((group) => group.reduce((sum, cell) => sum + (observed[cell] as number), 0));
  const pooledExpected = groups.map((group) => group.reduce((sum, cell) => sum + (expected[cell] as number), 0));
  const mass = pooledExpected.reduce((a, b) => a + b, 0);
  let g = 0;
  pooledObserved.forEach((count, index) => {
    if (count > 0) g += 2 * count * Math.log(count / (((pooledExpected[index] as number) / mass) * n));
  });
  g = Math.max(0, g);
  const chi2 = chiSquareTest(pooledObserved, pooledExpected).chi2;
  if (degreesOfFreedom === 0 || n === 0) return { pValue: 1, g, chi2, degreesOfFreedom, cells: groups.length };
  const k = groups.length;
  const q = 1 + (k * k - 1) / (6 * n * degreesOfFreedom);
  return { pValue: gammaQ(degreesOfFreedom / 2, g / q / 2), g, chi2, degreesOfFreedom, cells: groups.length };
}

/**
 * The log-likelihood ratio `Σ observed · ln(a / b)` of two models of the same cells (natural
 * log): positive when the draws favour `a`. `Infinity` when a draw fell where `b` has
 * probability 0 but `a` does not, `-Infinity` for the reverse, `NaN` when both are 0 there.
 *
 * @example
 * logLikelihoodRatio([30, 10], [0.75, 0.25], [0.5, 0.5]); // 30 ln 1.5 + 10 ln 0.5 = 5.23
 */
export function logLikelihoodRatio(observed: ArrayLike<number>, a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let cell = 0; cell < observed.length; cell++) {
    const count = observed[cell] as number;
    if (count === 0) continue;
    sum += count * (Math.log(a[cell] as number) - Math.log(b[cell] as number));
  }
  return sum;
}
