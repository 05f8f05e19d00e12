import { describe, expect, it } from 'vitest';
import { selfBleu } from '../../src/analysis/metrics/selfBleu.js';

describe('selfBleu', () => {
  it('two identical sequences of four tokens: each matches the other exactly → 1', () => {
    expect(selfBleu([[1, 2, 3, 4], [1, 2, 3, 4]])).toBeCloseTo(1, 12);
  });

  it('no unigram in common → 0', () => {
    expect(selfBleu([[1, 2], [3, 4]])).toBe(0);
  });

  it('two identical sequences of two tokens: p1 = p2 = 1, p3 = p4 = 0.1 / 1 (smoothed, no trigram) → 0.1^(1/2)', () => {
    expect(selfBleu([[1, 1], [1, 1]])).toBeCloseTo(Math.sqrt(0.1), 12);
  });

  it('is the mean of each sequence against all the others, clipping by the best single other', () => {
    // A = 1 2 3, B = 1 2 4, C = 1 1 1 (all length 3: brevity penalty 1; no 4-grams: 0.1/1).
    // A vs {B, C}: unigrams 1, 2 match (3 does not) = 2/3; bigram 1 2 (in B) = 1/2; trigram 0 → 0.1/1.
    // B vs {A, C}: the same by symmetry: 2/3, 1/2, 0.1, 0.1.
    // C vs {A, B}: unigram 1 ×3, max count in one other is 1 → 1/3; bigram 1 1 ×2 → 0 → 0.1/2; trigram 0.1/1.
    const ab = Math.pow((2 / 3) * (1 / 2) * 0.1 * 0.1, 0.25);
    const c = Math.pow((1 / 3) * (0.1 / 2) * 0.1 * 0.1, 0.25);
    expect(selfBleu([[1, 2, 3], [1, 2, 4], [1, 1, 1]])).toBeCloseTo((2 * ab + c) / 3, 12);
  });

  it('a sequence is not its own reference even when it repeats another\u2019s n-gram more often', () => {
    // A = 5 5 5 5, B = 5 5: A vs B: unigram 5 ×4 clipped at 2 → 2/4; bigram 5 5 ×3 clipped at 1 → 1/3;
    // trigram 0 of 2 → 0.1/2; 4-gram 0 of 1 → 0.1/1; c = 4 > r = 2: BP 1.
    // B vs A: unigram 2/2, bigram 1/1, trigram 0.1/1, 4-gram 0.1/1; c = 2 < r = 4: BP = exp(1 − 4/2).
    const a = Math.pow((2 / 4) * (1 / 3) * (0.1 / 2) * 0.1, 0.25);
    const b = Math.exp(-1) * Math.pow(1 * 1 * 0.1 * 0.1, 0.25);
    expect(selfBleu([[5, 5, 5, 5], [5, 5]])).toBeCloseTo((a + b) / 2, 12);
  });

  it('works on strings (split into words) and gives NaN for fewer than two sequences', () => {
    expect(selfBleu(['the cat sat on the mat', 'the cat sat on a mat'])).toBeCloseTo(Math.pow(1 / 12, 0.25), 12);
    expect(selfBleu(['one'])).toBeNaN();
    expect(selfBleu([])).toBeNaN();
  });
});
