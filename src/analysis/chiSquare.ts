import { gammaQ } from './gamma.js';

/** Result of Pearson's chi-square goodness-of-fit test. */
export interface ChiSquareResult {
  /** Σ (observed − expected)² / expected over the cells with expected > 0. */
  readonly chi2: number;
  /** Degrees of freedom: cells with expected > 0, minus 1. */
  readonly degreesOfFreedom: number;
  /** P(χ² ≥ chi2) under the null hypothesis; 0 when a cell with expected 0 was observed. */
  readonly pValue: number;
}

/**
 * Pearson's chi-square goodness-of-fit test of observed counts against expected
 * probabilities (renormalised over their sum). A count in a cell of probability 0 makes
 * `chi2 = Infinity` and `pValue = 0`. One cell gives `chi2 = 0`, `pValue = 1`.
 *
 * @example
 * chiSquareTest([50, 50], [0.5, 0.5]); // { chi2: 0, degreesOfFreedom: 1, pValue: 1 }
 */
export function chiSquareTest(observed: ArrayLike<number>, expectedProbs: ArrayLike<number>): ChiSquareResult {
  let total = 0;
  let probabilityMass = 0;
  for (let i = 0; i < observed.length; i++) {
    total += observed[i] as number;
    probabilityMass += expectedProbs[i] as number;
  }
  let chi2 = 0;
  let cells = 0;
  for (let i = 0; i < observed.length; i++) {
    const expected = ((expectedProbs[i] as number) / probabilityMass) * total;
    const count = observed[i] as number;
    if (expected > 0) {
      cells++;
      chi2 += ((count - expected) * (count - expected)) / expected;
    } else if (count > 0) {
      return { chi2: Infinity, degreesOfFreedom: Math.max(cells - 1, 0), pValue: 0 };
    }
  }
  const degreesOfFreedom = Math.max(cells - 1, 0);
  const pValue = degreesOfFreedom === 0 ? 1 : gammaQ(degreesOfFreedom / 2, chi2 / 2);
  return { chi2, degreesOfFreedom, pValue };
}
