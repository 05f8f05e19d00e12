import { checkAtLeast, checkInteger } from '../../core/validate.js';
import { bleuFromStatistics, closestLength, type BleuOptions } from './bleu.js';
import { ngramCounts } from './ngramCounts.js';
import { internSequences, type TokenSequence } from './tokenSequences.js';

/** The largest count of one n-gram in any sequence, the sequence it is in, and the largest count in any other sequence. */
interface Best {
  first: number;
  owner: number;
  second: number;
}

/**
 * Self-BLEU (Zhu et al., 2018), as Holtzman et al. (2020) computed it: the mean over the
 * sequences of the sentence BLEU of each one against all the others as references (lower
 * means more diverse). BLEU is `sentenceBleu`'s: uniform weights over orders 1 … N
 * (default N = 4, self-BLEU-4), clipped counts, the brevity penalty against the closest
 * other length (shorter on a tie), smoothing method 1 with epsilon 0.1. Every sequence is
 * a hypothesis (the paper scored a random 1,000 of its 5,000 to save time). Strings are
 * split by `textTokens`. Fewer than two sequences give NaN.
 *
 * Runs in time linear in the total number of n-grams: for each n-gram it keeps the
 * largest count and the largest count in a different sequence, which is all that
 * clipping against "every sequence but this one" needs.
 *
 * @example
 * selfBleu([[1, 2, 3, 4], [1, 2, 3, 4]]); // 1 (each is the other's reference)
 * selfBleu([[1, 2], [3, 4]]);             // 0 (no unigram in common)
 */
export function selfBleu(sequences: readonly TokenSequence[], options: BleuOptions = {}): number {
  const maxOrder = checkInteger('selfBleu.maxOrder', options.maxOrder ?? 4, 1);
  const epsilon = checkAtLeast('selfBleu.epsilon', options.epsilon ?? 0.1, 0);
  if (sequences.length < 2) return NaN;
  const symbols = internSequences(sequences);
  const perOrder: Map<string, number>[][] = [];
  const best: Map<string, Best>[] = [];
  for (let n = 1; n <= maxOrder; n++) {
    const counts = symbols.map((sequence) => ngramCounts(sequence, n));
    const table = new Map<string, Best>();
    counts.forEach((map, index) => {
      for (const [key, count] of map) {
        const entry = table.get(key);
        if (!entry) table.set(key, { first: count, owner: index, second: 0 });
        else if (count > entry.first) {
          entry.second = entry.first;
          entry.first = count;
          entry.owner = index;
        } else if (count > entry.second) entry.second = count;
      }
    });
    perOrder.push(counts);
    best.push(table);
  }
  const lengthCounts = new Map<number, number>();
  for (const sequence of symbols) lengthCounts.set(sequence.length, (lengthCounts.get(sequence.length) ?? 0) + 1);
  let sum = 0;
  symbols.forEach((sequence, index) => {
    const matches: number[] = [];
    const totals: number[] = [];
    for (let order = 0; order < maxOrder; order++) {
      const table = best[order] as Map<string, Best>;
      let matched = 0;
      let total = 0;
      for (const [key, count] of (perOrder[order] as Map<string, number>[])[index] as Map<string, number>) {
        const entry = table.get(key) as Best;
        const other = entry.owner === index ? entry.second : entry.first;
        matched += Math.min(count, other);
        total += count;
      }
      matches.push(matched);
      totals.push(total);
    }
    const c = sequence.length;
    const otherLengths = [...lengthCounts].filter(([length, count]) => length !== c || count > 1).map(([length]) => length);
    sum += bleuFromStatistics({ matches, totals, hypothesisLength: c, referenceLength: closestLength(c, otherLengths) }, epsilon);
  });
  return sum / symbols.length;
}
