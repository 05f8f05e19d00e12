import { describe, expect, it } from 'vitest';
import { endRepetition, repetitionRate } from '../../src/analysis/metrics/repetitionRate.js';

describe('endRepetition', () => {
  it('finds a two-token phrase repeated three times at the end', () => {
    expect(endRepetition([5, 1, 2, 1, 2, 1, 2])).toEqual({ phraseLength: 2, repeats: 3, phrase: [1, 2] });
  });

  it('two copies are not a loop; a loop in the middle is not at the end', () => {
    expect(endRepetition([1, 2, 1, 2])).toBeNull();
    expect(endRepetition([1, 2, 1, 2, 1, 2, 9])).toBeNull();
  });

  it('a loop may start in the middle of a phrase: x a b c a b c a b c a ends in three copies of "b c a"', () => {
    expect(endRepetition('x a b c a b c a b c a')).toEqual({ phraseLength: 3, repeats: 3, phrase: ['b', 'c', 'a'] });
  });

  it('counts every complete copy, and takes the shortest phrase: a one-token loop is a two-token phrase', () => {
    // 7 × "the": the shortest phrase of length >= 2 is "the the", with 3 complete copies.
    expect(endRepetition('the the the the the the the')).toEqual({ phraseLength: 2, repeats: 3, phrase: ['the', 'the'] });
    expect(endRepetition([9, 1, 2, 1, 2, 1, 2, 1, 2])).toEqual({ phraseLength: 2, repeats: 4, phrase: [1, 2] });
  });

  it('honours minPhraseLength, minRepeats and maxPhraseLength', () => {
    expect(endRepetition([1, 1, 1], { minPhraseLength: 1 })).toEqual({ phraseLength: 1, repeats: 3, phrase: [1] });
    expect(endRepetition([1, 2, 1, 2], { minRepeats: 2 })).toEqual({ phraseLength: 2, repeats: 2, phrase: [1, 2] });
    expect(endRepetition([1, 2, 3, 1, 2, 3, 1, 2, 3], { maxPhraseLength: 2 })).toBeNull();
  });
});

describe('repetitionRate', () => {
  it('is the share of sequences that end in a loop', () => {
    expect(repetitionRate([[1, 2, 1, 2, 1, 2], [1, 2, 3, 4, 5, 6]])).toBe(0.5);
    expect(repetitionRate(['a b a b a b', 'c d c d c d', 'x y z', 'q'])).toBe(0.5);
  });

  it('no sequences gives NaN', () => {
    expect(repetitionRate([])).toBeNaN();
  });
});

describe("endRepetition, rule 'released' (Holtzman et al.'s repetition.py)", () => {
  const released = { rule: 'released' } as const;

  it('two copies of a phrase of 3 or more tokens are a loop', () => {
    expect(endRepetition([7, 1, 2, 3, 1, 2, 3], released)).toEqual({ phraseLength: 3, repeats: 2, phrase: [1, 2, 3] });
  });

  it('takes the phrase length with the most copies, the shortest on a tie', () => {
    // 1 2 1 2 1 2 1 2: L = 2 has 4 copies, L = 4 has 2 → L = 2, which is shorter than 3: no loop.
    expect(endRepetition([1, 2, 1, 2, 1, 2, 1, 2], released)).toBeNull();
    // a b c ×3: L = 3 has 3 copies (L = 6 has 1): a loop of 3 copies.
    expect(endRepetition('a b c a b c a b c', released)).toEqual({ phraseLength: 3, repeats: 3, phrase: ['a', 'b', 'c'] });
  });

  it('a one- or two-token stutter is a loop only past 50 copies', () => {
    expect(endRepetition(new Array<number>(50).fill(4), released)).toBeNull();
    expect(endRepetition(new Array<number>(51).fill(4), released)).toEqual({ phraseLength: 1, repeats: 51, phrase: [4] });
  });

  it('repetitionRate passes the rule on', () => {
    expect(repetitionRate([[7, 1, 2, 3, 1, 2, 3], [1, 2, 1, 2, 1, 2]], released)).toBe(0.5);
    expect(repetitionRate([[7, 1, 2, 3, 1, 2, 3], [1, 2, 1, 2, 1, 2]])).toBe(0.5); // stated: only the second
    expect(() => repetitionRate([[1]], { rule: 'other' as never })).toThrow(/repetition\.rule/);
  });
});
