import { describe, expect, it } from 'vitest';
import { allEqualChance } from '../../src/audit/greedyCheck.js';
import { collisionBound, seedPairs } from '../../src/audit/seedCheck.js';
import { logLikelihoodRatio, poolCells, pooledFit } from '../../src/audit/pooledFit.js';
import { chiSquareCritical, drawsForPower, noncentralChiSquareSurvival, rejectionPower } from '../../src/audit/power.js';
import { positionFromTop } from '../../src/audit/position.js';

// Reference values: chi-square quantiles and noncentral chi-square tails from SciPy 1.17
// (scipy.stats.chi2.isf, ncx2.sf), Cohen's (1988) power tables (λ = 7.85 for df 1 and 11.94
// for df 4 give power 0.80 at α 0.05), and by hand (shown).

describe('chi-square quantiles and the noncentral chi-square', () => {
  it('critical values match SciPy', () => {
    expect(chiSquareCritical(1, 0.05)).toBeCloseTo(3.8414588206941285, 9);
    expect(chiSquareCritical(10, 0.01)).toBeCloseTo(23.20925115895436, 9);
    expect(chiSquareCritical(12, 1e-4)).toBeCloseTo(39.13440388194952, 8);
  });

  it('power from Cohen\'s tables and SciPy', () => {
    expect(noncentralChiSquareSurvival(chiSquareCritical(1, 0.05), 1, 7.849)).toBeCloseTo(0.8000069694454767, 6); // df 1: Φ(√λ − z) + Φ(−√λ − z)
    expect(noncentralChiSquareSurvival(chiSquareCritical(4, 0.05), 4, 11.94)).toBeCloseTo(0.8001775309147434, 6);
    expect(noncentralChiSquareSurvival(chiSquareCritical(12, 1e-4), 12, 60)).toBeCloseTo(0.9887533261638973, 6);
    expect(noncentralChiSquareSurvival(chiSquareCritical(3, 1e-4), 3, 0.5)).toBeCloseTo(0.0003456343524404208, 8);
  });
});

describe('pooled likelihood-ratio test', () => {
  it('G = 2 Σ O ln(O/E) with Williams\' correction: 30 and 10 draws against a fair coin', () => {
    // By hand: G = 2 (30 ln 1.5 + 10 ln 0.5) = 10.4650, q = 1 + 3 / (6 · 40) = 1.0125, p = P(χ²₁ > G/q) = 0.0013048.
    const fit = pooledFit([30, 10], [0.5, 0.5]);
    expect(fit.g).toBeCloseTo(10.464962875290956, 10);
    expect(fit.pValue).toBeCloseTo(0.0013047697862865048, 9);
    expect(fit.chi2).toBeCloseTo(10, 10); // Pearson: (10² + 10²) / 20
    expect(fit.degreesOfFreedom).toBe(1);
  });

  it('a draw where the model puts probability 0 rejects it outright', () => {
    expect(pooledFit([48, 50, 2], [0.5, 0.5, 0])).toMatchObject({ pValue: 0, impossible: { cell: 2, count: 2 } });
    expect(pooledFit([48, 52, 0], [0.5, 0.5, 0]).pValue).toBeGreaterThan(0.6);
  });

  it('pools the cells expected below 5 draws, smallest first, and never by the observed counts', () => {
    expect(poolCells([0.5, 0.45, 0.03, 0.02, 0], 100)).toEqual({ groups: [[3, 2], [1], [0]], impossible: [4], unknown: [] });
    // 0.02 + 0.01 = 3 draws is not enough: the pool takes the next cell too.
    expect(poolCells([0.6, 0.37, 0.02, 0.01], 100).groups).toEqual([[3, 2, 1], [0]]);
  });

  it('a cell of unknown probability is left out with its draws (the test conditions on the others)', () => {
    expect(pooledFit([30, 10, 999], [0.75, 0.25, NaN])).toMatchObject({ g: 0, pValue: 1 });
    expect(poolCells([0.75, 0.25, NaN], 40).unknown).toEqual([2]);
  });

  it('the log-likelihood ratio of two models', () => {
    expect(logLikelihoodRatio([30, 10], [0.75, 0.25], [0.5, 0.5])).toBeCloseTo(30 * Math.log(1.5) + 10 * Math.log(0.5), 12);
    expect(logLikelihoodRatio([5, 1], [0.5, 0.5], [1, 0])).toBe(Infinity);
  });
});

describe('power and sample size', () => {
  it('df 1: power = Φ(√λ − z) + Φ(−√λ − z) with λ = 2n Σ t ln(t/h)', () => {
    // λ = 400 (0.6 ln 1.2 + 0.4 ln 0.8) = 8.0542, power 0.81004 (by hand, z = 1.959964).
    expect(rejectionPower([0.6, 0.4], [0.5, 0.5], 200, 0.05)).toBeCloseTo(0.8100368701530031, 5);
    const n = drawsForPower([0.6, 0.4], [0.5, 0.5], 0.05, 0.8, { min: 10, max: 10_000 });
    expect(rejectionPower([0.6, 0.4], [0.5, 0.5], n, 0.05)).toBeGreaterThanOrEqual(0.8);
    expect(rejectionPower([0.6, 0.4], [0.5, 0.5], n - 1, 0.05)).toBeLessThan(0.8);
    expect(n).toBe(Math.ceil(7.849 / (2 * (0.6 * Math.log(1.2) + 0.4 * Math.log(0.8)))));
  });

  it('where the model forbids what the truth allows, one draw there suffices: power 1 − (1 − m)^n', () => {
    expect(rejectionPower([0.9, 0.1], [1, 0], 50, 1e-4)).toBeCloseTo(1 - 0.9 ** 50, 12);
    expect(drawsForPower([0.9, 0.1], [1, 0], 1e-4, 0.999, { min: 1, max: 1000 })).toBe(Math.ceil(Math.log(0.001) / Math.log(0.9)));
  });

  it('more draws than the maximum gives Infinity', () => {
    expect(drawsForPower([0.501, 0.499], [0.5, 0.5], 1e-4, 0.999, { min: 10, max: 1000 })).toBe(Infinity);
  });
});

describe('the checks\' arithmetic', () => {
  it('seed pairs: enough that all agreeing by chance is below α/10', () => {
    expect(seedPairs(0.2, 1e-4)).toBe(8); // ln(1e-5) / ln(0.2) = 7.15
    expect(seedPairs(0.9, 1e-4)).toBe(110);
    expect(seedPairs(1, 1e-4)).toBe(Infinity);
  });

  it('collision probability of a listed distribution, the tail at most as likely as the least likely listed token', () => {
    const position = positionFromTop({ id: 'p' }, [
      { key: 'a', text: 'a', logprob: Math.log(0.5) },
      { key: 'b', text: 'b', logprob: Math.log(0.3) },
    ]);
    expect(position.tailMass).toBeCloseTo(0.2, 12);
    expect(collisionBound(position)).toBeCloseTo(0.25 + 0.09 + 0.2 * 0.3, 12);
  });

  it('the chance that the first m of 2m exchangeable outputs agree', () => {
    expect(allEqualChance(['a', 'a', 'a', 'b', 'c', 'd'], 3)).toBeCloseTo(1 / 20, 12); // C(3,3)/C(6,3)
    expect(allEqualChance(Array.from({ length: 20 }, (_, i) => (i < 10 ? 'x' : `y${i}`)), 10)).toBeCloseTo(1 / 184756, 15);
    expect(allEqualChance(['x', 'x', 'x', 'x'], 2)).toBe(1);
  });
});
