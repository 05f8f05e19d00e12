import { describe, expect, it } from 'vitest';
import { zipfCoefficient } from '../../src/analysis/metrics/zipfCoefficient.js';

describe('zipfCoefficient', () => {
  it('counts 4, 2, 1 at ranks 1, 2, 3: least-squares slope of ln count on ln rank', () => {
    // x = (0, ln 2, ln 3), y = (ln 4, ln 2, 0). With a = ln 2, b = ln 3:
    // mean x = (a + b)/3, mean y = a; Sxy = Σ (x − x̄)(y − ȳ) = (0 − x̄)(a) + (a − x̄)(0) + (b − x̄)(−a) = −a·b
    // Sxx = Σ x² − 3 x̄² = a² + b² − (a + b)²/3. s = −Sxy / Sxx = a·b / (a² + b² − (a + b)²/3) = 1.2336.
    const a = Math.log(2);
    const b = Math.log(3);
    expect(zipfCoefficient([[1, 1, 1, 1, 2, 2, 3]])).toBeCloseTo((a * b) / (a * a + b * b - ((a + b) * (a + b)) / 3), 12);
  });

  it('exact Zipf counts 6, 3, 2 (∝ 1/rank) give s = 1', () => {
    expect(zipfCoefficient(['x x x x x x y y y z z'])).toBeCloseTo(1, 12);
  });

  it('pools all sequences, and equal counts give 0', () => {
    expect(zipfCoefficient([[1, 2], [3]])).toBe(0);
  });

  it('maxRanks keeps only the most frequent types: counts 6, 3, 2, 1 cut to 6, 3 → s = ln 2 / ln 2 = 1', () => {
    expect(zipfCoefficient(['x x x x x x y y y z z w'], { maxRanks: 2 })).toBeCloseTo(1, 12);
  });

  it('fewer than two types give NaN', () => {
    expect(zipfCoefficient([[1, 1, 1]])).toBeNaN();
    expect(zipfCoefficient([])).toBeNaN();
  });
});
