import { checkInteger } from '../../core/validate.js';
import { ngramCounts } from './ngramCounts.js';
import { internSequences, type TokenSequence } from './tokenSequences.js';

/** Options of `pairwiseSimilarity`. */
export interface PairwiseSimilarityOptions {
  /** n-gram order of the vectors (default 1: bags of tokens). */
  n?: number;
  /**
   * `'cosine'` (default): Σ_g a_g b_g / (‖a‖ ‖b‖) over the n-gram count vectors a, b;
   * `'jaccard'`: |A ∩ B| / |A ∪ B| over the sets of distinct n-grams.
   */
  measure?: 'cosine' | 'jaccard';
}

/**
 * Mean pairwise similarity of a set of sequences: the average, over all unordered pairs
 * i < j, of the similarity of their n-gram counts (cosine of count vectors, or Jaccard of
 * n-gram sets). A pair in which either sequence has no n-gram has similarity 0. Strings
 * are split by `textTokens`. Fewer than two sequences give NaN. 1 means every sequence has
 * the same n-gram profile; lower is more diverse.
 *
 * @example
 * pairwiseSimilarity([[1, 2], [1, 3]]);                       // 0.5 (cosine: 1 / (√2 · √2))
 * pairwiseSimilarity([[1, 2], [1, 3]], { measure: 'jaccard' }); // 1 / 3
 */
export function pairwiseSimilarity(sequences: readonly TokenSequence[], options: PairwiseSimilarityOptions = {}): number {
  const n = checkInteger('pairwiseSimilarity.n', options.n ?? 1, 1);
  const measure = options.measure ?? 'cosine';
  if (measure !== 'cosine' && measure !== 'jaccard') throw new RangeError(`pairwiseSimilarity.measure = ${JSON.stringify(measure)}: expected 'cosine' or 'jaccard'`);
  if (sequences.length < 2) return NaN;
  const profiles = internSequences(sequences).map((symbols) => ngramCounts(symbols, n));
  const norms = profiles.map((profile) => Math.sqrt([...profile.values()].reduce((sum, count) => sum + count * count, 0)));
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < profiles.length; i++) {
    for (let j = i + 1; j < profiles.length; j++) {
      const a = profiles[i] as Map<string, number>;
      const b = profiles[j] as Map<string, number>;
      pairs++;
      if (a.size === 0 || b.size === 0) continue;
      const [small, large] = a.size <= b.size ? [a, b] : [b, a];
      let dot = 0;
      let shared = 0;
      for (const [key, count] of small) {
        const other = large.get(key);
        if (other !== undefined) {
          dot += count * other;
          shared++;
        }
      }
      sum += measure === 'cosine' ? dot / ((norms[i] as number) * (norms[j] as number)) : shared / (a.size + b.size - shared);
    }
  }
  return sum / pairs;
}
