import { describe, expect, it } from 'vitest';
import { addK } from '../../src/models/addK.js';
import { countOfCounts, kneserNeyDiscounts } from '../../src/models/discounts.js';
import { heldOutPerplexity } from '../../src/models/heldOutPerplexity.js';
import { kneserNey } from '../../src/models/kneserNey.js';
import { countNgrams, narrowCounts } from '../../src/models/ngramCounts.js';

// A corpus small enough to count by hand. Boundary B = 0, vocabulary 0 … 5 (5 never occurs).
// Stream: B 1 2 3 B 1 2 4 B 2 3 B — 11 predictions.
const documents = [
  [1, 2, 3],
  [1, 2, 4],
  [2, 3],
];
const counts = countNgrams(documents, { order: 3, vocabSize: 6, boundary: 0 });
const half = [0.5, 0.5, 0.5] as const;
const fixed = kneserNey(counts, { discounts: [half, half, half] });
const p = (context: number[], token: number): number => Math.exp(fixed.logProb(context, token));

describe('countNgrams (counted by hand)', () => {
  it('counts every prediction at every level its history allows', () => {
    expect(Array.from(counts.types)).toEqual([0, 1, 2, 3, 4]);
    expect(counts.tokenCount).toBe(11);
    const [unigrams, bigrams, trigrams] = counts.levels;
    expect(Array.from(unigrams!.raw)).toEqual([3, 2, 3, 2, 1]);
    // bigrams in order: B1 B2 12 23 24 3B 4B
    expect(Array.from(bigrams!.raw)).toEqual([2, 1, 2, 2, 1, 2, 1]);
    expect(Array.from(bigrams!.words)).toEqual([1, 2, 2, 3, 4, 0, 0]);
    // trigrams in order: B12 B23 123 124 23B 24B
    expect(Array.from(trigrams!.raw)).toEqual([2, 1, 1, 1, 2, 1]);
    expect(Array.from(trigrams!.words)).toEqual([2, 3, 3, 4, 0, 0]);
  });

  it('links each history to its followers', () => {
    expect(Array.from(counts.levels[0]!.children)).toEqual([0, 2, 3, 5, 6, 7]);
    expect(Array.from(counts.levels[1]!.children)).toEqual([0, 1, 2, 4, 5, 6, 6, 6]);
    expect(counts.levels[2]!.children).toHaveLength(0);
  });

  it('keeps continuation counts, and raw counts for n-grams that start at the boundary', () => {
    // unigrams: distinct predecessors of B, 1, 2, 3, 4 = {3,4}, {B}, {1,B}, {2}, {2}
    expect(Array.from(counts.levels[0]!.modified)).toEqual([2, 1, 2, 1, 1]);
    // bigrams: B1 and B2 keep raw 2 and 1; 12 ← {B}, 23 ← {1,B}, 24 ← {1}, 3B ← {2}, 4B ← {2}
    expect(Array.from(counts.levels[1]!.modified)).toEqual([2, 1, 1, 2, 1, 1, 1]);
  });

  it('the doc example: bigrams of [[1,2,3],[1,2]]', () => {
    expect(Array.from(countNgrams([[1, 2, 3], [1, 2]], { order: 2, vocabSize: 5, boundary: 0 }).levels[1]!.raw)).toEqual([2, 2, 1, 1, 1]);
  });
});

describe('narrowCounts', () => {
  it('stores words and counts that fit in 16 bits as Uint16Array, the same values, and the same model', () => {
    const narrow = narrowCounts(counts);
    narrow.levels.forEach((level, index) => {
      const wide = counts.levels[index]!;
      for (const key of ['words', 'raw', 'modified'] as const) {
        expect(level[key]).toBeInstanceOf(Uint16Array);
        expect(Array.from(level[key])).toEqual(Array.from(wide[key]));
      }
      expect(level.children).toBe(wide.children);
    });
    const model = kneserNey(narrow, { discounts: [half, half, half] });
    for (const context of [[], [1], [1, 2], [2, 3], [0, 4]]) expect(Array.from(model.nextLogits(context))).toEqual(Array.from(fixed.nextLogits(context)));
  });

  it('keeps an array with a value above 65535 at 32 bits', () => {
    const many = countNgrams([Array.from({ length: 70_000 }, () => 1)], { order: 2, vocabSize: 3, boundary: 0 });
    const narrow = narrowCounts(many);
    expect(Array.from(narrow.levels[0]!.raw)).toEqual([1, 70_000]);
    expect(narrow.levels[0]!.raw).toBeInstanceOf(Uint32Array);
    expect(narrow.levels[0]!.words).toBeInstanceOf(Uint16Array);
  });
});

describe('kneserNeyDiscounts', () => {
  it('follows Chen and Goodman: Y = n1/(n1+2n2), D_r = r − (r+1) Y n_{r+1}/n_r', () => {
    expect(kneserNeyDiscounts([4, 2, 1, 1])).toEqual([0.5, 1.25, 1]);
    const [d1, d2, d3] = kneserNeyDiscounts([1000, 300, 150, 90]); // Y = 1000/1600
    expect(d1).toBeCloseTo(1 - (2 * 0.625 * 300) / 1000, 12);
    expect(d2).toBeCloseTo(2 - (3 * 0.625 * 150) / 300, 12);
    expect(d3).toBeCloseTo(3 - (4 * 0.625 * 90) / 150, 12);
  });

  it('clamps to [0, r] and gives 0 where the estimate is undefined', () => {
    // trigram level of the hand corpus: counts 2,1,1,1,2,1 → n = [4, 2, 0, 0]
    expect(countOfCounts(counts.levels[2]!.raw)).toEqual([4, 2, 0, 0]);
    expect(kneserNeyDiscounts([4, 2, 0, 0])).toEqual([0.5, 2, 0]);
    expect(kneserNey(counts).discounts[2]).toEqual([0.5, 2, 0]);
  });
});

describe('kneserNey (interpolated, computed by hand with D = 0.5 everywhere)', () => {
  // Unigram level (modified counts B:2 1:1 2:2 3:1 4:1, total 7): γ0 = 0.5·5/7, floor γ0/6.
  // P1(1) = P1(3) = P1(4) = 5.5/42, P1(2) = P1(B) = 11.5/42, P1(5) = 2.5/42.
  it('the unigram level with its uniform floor', () => {
    expect(p([3, 5], 0)).toBeCloseTo(11.5 / 42, 12); // history "3 5": 5 never seen, so no bigram history either
    expect(p([3, 5], 5)).toBeCloseTo(2.5 / 42, 12);
  });

  it('the trigram level after "1 2"', () => {
    // P2(·|2): modified 23:2, 24:1, total 3, γ = 1/3. P3(·|1 2): raw 123:1, 124:1, total 2, γ = 1/2.
    expect(p([1, 2], 3)).toBeCloseTo(0.5 + 2.75 / 126, 12);
    expect(p([1, 2], 4)).toBeCloseTo(0.25 + 1 / 12 + 2.75 / 126, 12);
    expect(p([1, 2], 2)).toBeCloseTo(11.5 / 252, 12);
    expect(p([1, 2], 1)).toBeCloseTo(5.5 / 252, 12);
    expect(p([1, 2], 5)).toBeCloseTo(2.5 / 252, 12);
  });

  it('a document start, and a boundary inside the context, condition on the boundary', () => {
    // P(·|B): raw B1:2, B2:1, total 3, γ = 1/3.
    expect(p([], 1)).toBeCloseTo(0.5 + 5.5 / 126, 12);
    expect(p([], 2)).toBeCloseTo(1 / 6 + 11.5 / 126, 12);
    expect(p([3, 0], 1)).toBeCloseTo(0.5 + 5.5 / 126, 12);
  });

  it('nextLogits is the log of the same probabilities for every token and sums to 1', () => {
    for (const context of [[], [1, 2], [2], [3, 5], [4, 4, 4], [2, 3, 0, 1]]) {
      const logits = fixed.nextLogits(context);
      expect(logits).toHaveLength(6);
      let sum = 0;
      logits.forEach((value, token) => {
        sum += Math.exp(value);
        expect(value).toBeCloseTo(fixed.logProb(context, token), 5);
      });
      expect(sum).toBeCloseTo(1, 6);
    }
  });

  it('gives excluded ids −Infinity and shares the floor among the others', () => {
    const model = kneserNey(counts, { discounts: [half, half, half], excluded: [5] });
    const logits = model.nextLogits([1, 2]);
    expect(logits[5]).toBe(-Infinity);
    expect(Array.from(logits).reduce((sum, value) => sum + Math.exp(value), 0)).toBeCloseTo(1, 6);
    // floor γ0/5 instead of γ0/6: P1(1) = 0.5/7 + 2.5/35
    expect(Math.exp(model.logProb([3, 5], 1))).toBeCloseTo(0.5 / 7 + 2.5 / 35, 12);
  });

  it('reuses the output buffer and rejects bad token ids', () => {
    const out = new Float32Array(6);
    expect(fixed.nextLogits([1], out)).toBe(out);
    expect(() => fixed.nextLogits([7])).toThrow(/context\[0\] = 7 is out of range: expected a token id in \[0, 6\)/);
    expect(() => fixed.nextLogits([1], new Float32Array(3))).toThrow(/out.length = 3/);
    expect(() => kneserNey(counts, { order: 4 })).toThrow(/order = 4 is out of range/);
  });
});

describe('addK and heldOutPerplexity (by hand)', () => {
  it('add-k with no back-off', () => {
    const bigram = addK(counts, { order: 2, k: 1 });
    expect(Math.exp(bigram.logProb([2], 3))).toBeCloseTo(3 / 9, 12); // (2 + 1) / (3 + 6)
    expect(Math.exp(bigram.logProb([2], 5))).toBeCloseTo(1 / 9, 12);
    expect(Math.exp(bigram.logProb([5], 1))).toBeCloseTo(1 / 6, 12); // unseen history: uniform
    expect(Math.exp(bigram.logProb([], 1))).toBeCloseTo(3 / 9, 12); // after B: B1 = 2, total 3
    expect(Math.exp(addK(counts, { order: 1, k: 1 }).logProb([4], 2))).toBeCloseTo(4 / 17, 12);
  });

  it('perplexity over a document counts its end', () => {
    const unigram = addK(counts, { order: 1, k: 1 });
    const result = heldOutPerplexity(unigram, [[2, 3]], 0); // 4/17, 3/17, then B: 4/17
    expect(result.tokens).toBe(3);
    expect(result.perplexity).toBeCloseTo(Math.cbrt(17 ** 3 / 48), 9);
  });
});
