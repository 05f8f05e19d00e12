import { describe, expect, it } from 'vitest';
import { distinctN } from '../../src/analysis/metrics/distinctN.js';
import { InvalidParameterError } from '../../src/core/errors.js';

describe('distinctN', () => {
  it('distinct bigrams over all bigrams: 1 2 1 2 has bigrams 12, 21, 12 → 2 / 3', () => {
    expect(distinctN([[1, 2, 1, 2]], 2)).toBeCloseTo(2 / 3, 12);
  });

  it('pools sequences: "the cat" + "the dog" has unigrams the, cat, the, dog → 3 / 4', () => {
    expect(distinctN(['the cat', 'the dog'], 1)).toBe(0.75);
  });

  it('n-grams do not cross sequence boundaries: [1] + [2] has no bigram', () => {
    expect(distinctN([[1], [2]], 2)).toBeNaN();
    expect(distinctN([[1, 2], [2, 1]], 2)).toBe(1); // 12 and 21, not 22
  });

  it('no sequences gives NaN; n must be an integer >= 1', () => {
    expect(distinctN([], 1)).toBeNaN();
    expect(() => distinctN([[1]], 0)).toThrow(InvalidParameterError);
  });
});
