import { describe, expect, it } from 'vitest';
import { pairwiseSimilarity } from '../../src/analysis/metrics/pairwiseSimilarity.js';

describe('pairwiseSimilarity', () => {
  it('cosine of unigram counts: [1 2] vs [1 3] share one of two tokens → 1 / (√2 · √2) = 0.5', () => {
    expect(pairwiseSimilarity([[1, 2], [1, 3]])).toBeCloseTo(0.5, 12);
  });

  it('Jaccard of n-gram sets: {1, 2} vs {1, 3} → 1 / 3', () => {
    expect(pairwiseSimilarity([[1, 2], [1, 3]], { measure: 'jaccard' })).toBeCloseTo(1 / 3, 12);
  });

  it('averages over all unordered pairs', () => {
    // A = a a b, B = a b, C = c. cos(A, B) = (2·1 + 1·1) / (√5 · √2) = 3/√10; A–C and B–C: 0.
    expect(pairwiseSimilarity(['a a b', 'a b', 'c'])).toBeCloseTo(3 / Math.sqrt(10) / 3, 12);
  });

  it('bigrams with n = 2; a sequence without n-grams has similarity 0 to every other', () => {
    // bigrams: {1 2, 2 3} vs {1 2, 2 4} → cosine 1 / 2
    expect(pairwiseSimilarity([[1, 2, 3], [1, 2, 4]], { n: 2 })).toBeCloseTo(0.5, 12);
    expect(pairwiseSimilarity([[1], [1, 2]], { n: 2 })).toBe(0);
  });

  it('fewer than two sequences give NaN', () => {
    expect(pairwiseSimilarity([[1, 2]])).toBeNaN();
  });
});
