import { describe, expect, it } from 'vitest';
import { closestLength, sentenceBleu } from '../../src/analysis/metrics/bleu.js';

describe('sentenceBleu (BLEU-4, NLTK conventions, smoothing method 1)', () => {
  it('an exact match scores 1', () => {
    expect(sentenceBleu([1, 2, 3, 4], [[1, 2, 3, 4]])).toBeCloseTo(1, 12);
  });

  it('the cat sat on the mat vs the cat sat on a mat: (5/6 · 3/5 · 2/4 · 1/3)^(1/4)', () => {
    // unigrams: "the" ×2 clipped to 1, + cat sat on mat = 5 of 6; bigrams: the cat, cat sat,
    // sat on = 3 of 5; trigrams: the cat sat, cat sat on = 2 of 4; 4-grams: the cat sat on = 1
    // of 3. Equal lengths (6): brevity penalty 1. (1/12)^(1/4) = 0.537285.
    expect(sentenceBleu('the cat sat on the mat', ['the cat sat on a mat'])).toBeCloseTo(Math.pow(1 / 12, 0.25), 12);
  });

  it('clips each n-gram at its largest count in any one reference', () => {
    // hypothesis a a a; references "a b" (1 a) and "a a c" (2 a): unigrams 2 of 3.
    // bigrams a a ×2, max in one reference 1: 1 of 2. Trigram a a a: none of 1 → 0.1 / 1;
    // no 4-gram: 0.1 / max(1, 0). Closest reference length to 3 is 3 (a a c): BP = 1.
    const expected = Math.exp((Math.log(2 / 3) + Math.log(1 / 2) + Math.log(0.1) + Math.log(0.1)) / 4);
    expect(sentenceBleu('a a a', ['a b', 'a a c'])).toBeCloseTo(expected, 12);
  });

  it('applies the brevity penalty exp(1 − r/c) against the closest reference length', () => {
    // hypothesis 1 2 3 4 (c = 4) against 1 2 3 4 5 6 (r = 6): all precisions 1, BP = exp(1 − 6/4).
    expect(sentenceBleu([1, 2, 3, 4], [[1, 2, 3, 4, 5, 6]])).toBeCloseTo(Math.exp(-0.5), 12);
    // no penalty for a longer hypothesis: 1 2 3 4 5 vs 1 2 3 4 … precisions 4/5, 3/4, 2/3, 1/2
    expect(sentenceBleu([1, 2, 3, 4, 5], [[1, 2, 3, 4]])).toBeCloseTo(Math.pow((4 / 5) * (3 / 4) * (2 / 3) * (1 / 2), 0.25), 12);
  });

  it('epsilon 0 turns smoothing off: an order without a match gives 0', () => {
    expect(sentenceBleu([1, 2, 9, 3], [[1, 2, 3, 4]], { epsilon: 0 })).toBe(0);
    // with smoothing: 3/4, 1/3, 0.1/2, 0.1/1 (length 4 both)
    expect(sentenceBleu([1, 2, 9, 3], [[1, 2, 3, 4]])).toBeCloseTo(Math.pow((3 / 4) * (1 / 3) * (0.1 / 2) * 0.1, 0.25), 12);
  });

  it('no unigram in common, or an empty hypothesis, gives 0', () => {
    expect(sentenceBleu([1, 2], [[3, 4]])).toBe(0);
    expect(sentenceBleu([], [[3, 4]])).toBe(0);
  });

  it('maxOrder 2 is BLEU-2: (p1 · p2)^(1/2)', () => {
    expect(sentenceBleu('the cat sat on the mat', ['the cat sat on a mat'], { maxOrder: 2 })).toBeCloseTo(Math.sqrt((5 / 6) * (3 / 5)), 12);
  });

  it('needs at least one reference', () => {
    expect(() => sentenceBleu([1], [])).toThrow(RangeError);
  });
});

describe('closestLength', () => {
  it('takes the nearest length, the shorter on a tie', () => {
    expect(closestLength(5, [3, 7, 9])).toBe(3);
    expect(closestLength(5, [6, 2])).toBe(6);
  });
});
