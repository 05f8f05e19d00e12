import { checkInteger } from '../../core/validate.js';
import { ngramCounts } from './ngramCounts.js';
import { internSequences, type TokenSequence } from './tokenSequences.js';

/**
 * distinct-n (Li et al., 2016): the number of distinct n-grams divided by the total number
 * of n-grams, pooled over all sequences. n-grams are contiguous windows inside one
 * sequence (none crosses from one sequence to the next); strings are split by
 * `textTokens`. The result is in (0, 1]; when there is no n-gram at all (no sequences, or
 * every sequence shorter than n) it is NaN.
 *
 * (Holtzman et al.'s released `distinct_n.py` counts the n-grams seen exactly once instead
 * of the distinct ones; this is the usual definition.)
 *
 * @example
 * distinctN([[1, 2, 1, 2]], 2); // 2 / 3: bigrams 1 2, 2 1, 1 2
 * distinctN(['the cat', 'the dog'], 1); // 3 / 4
 */
export function distinctN(sequences: readonly TokenSequence[], n = 2): number {
  checkInteger('distinctN.n', n, 1);
  const distinct = new Set<string>();
  let total = 0;
  for (const symbols of internSequences(sequences)) {
    for (const [key, count] of ngramCounts(symbols, n)) {
      distinct.add(key);
      total += count;
    }
  }
  return total === 0 ? NaN : distinct.size / total;
}
