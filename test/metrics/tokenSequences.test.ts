import { describe, expect, it } from 'vitest';
import { internSequences, textTokens } from '../../src/analysis/metrics/tokenSequences.js';

describe('textTokens', () => {
  it('splits words and single punctuation characters, keeping case and inner apostrophes', () => {
    expect(textTokens("Don't stop, now!")).toEqual(["Don't", 'stop', ',', 'now', '!']);
    expect(textTokens('l\u2019homme  a 2.5 km')).toEqual(['l\u2019homme', 'a', '2', '.', '5', 'km']);
  });

  it('the empty string and white space give no tokens', () => {
    expect(textTokens('')).toEqual([]);
    expect(textTokens(' \n\t ')).toEqual([]);
  });
});

describe('internSequences', () => {
  it('numbers symbols in order of first appearance across sequences', () => {
    expect(internSequences(['a b a', [7, 7], ['b', 'c']]).map((s) => Array.from(s))).toEqual([[0, 1, 0], [2, 2], [1, 3]]);
  });

  it('a number and a string that look alike are different symbols', () => {
    expect(internSequences([[7], ['7']]).map((s) => Array.from(s))).toEqual([[0], [1]]);
  });
});
