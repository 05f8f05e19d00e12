import { checkAtLeast, checkInteger } from '../../core/validate.js';
import { ngramCounts } from './ngramCounts.js';
import { internSequences, type TokenSequence } from './tokenSequences.js';

/** Options of `sentenceBleu` and `selfBleu`. */
export interface BleuOptions {
  /** Highest n-gram order N (default 4: BLEU-4); the weights are uniform, 1/N each. */
  maxOrder?: number;
  /**
   * Added to the numerator of an n-gram precision that has no match (default 0.1): Chen and
   * Cherry's (2014) smoothing method 1, NLTK's `SmoothingFunction().method1`, which
   * Holtzman et al. used for self-BLEU. 0 turns smoothing off (one order without a match
   * then makes BLEU 0).
   */
  epsilon?: number;
}

/**
 * The clipped n-gram statistics of one hypothesis against its references, from which BLEU
 * is computed: for each order n = 1 … N, `matches[n-1]` = Σ over the hypothesis's distinct
 * n-grams of min(count in hypothesis, max count in one reference), and `totals[n-1]` =
 * the number of n-grams of the hypothesis.
 */
export interface BleuStatistics {
  readonly matches: readonly number[];
  readonly totals: readonly number[];
  /** Length of the hypothesis (c). */
  readonly hypothesisLength: number;
  /** Length of the reference closest to c, the shorter on a tie (r). */
  readonly referenceLength: number;
}

/**
 * BLEU from clipped statistics, exactly as NLTK's `sentence_bleu` computes it (Papineni et
 * al., 2002):
 * - no unigram match: 0;
 * - p_n = matches_n / max(1, totals_n), or epsilon / max(1, totals_n) when matches_n = 0;
 * - brevity penalty BP = 1 if c > r, 0 if c = 0, else exp(1 − r / c);
 * - BLEU = BP · exp((1/N) Σ_n ln p_n).
 *
 * @example
 * bleuFromStatistics({ matches: [3, 1], totals: [4, 3], hypothesisLength: 4, referenceLength: 4 }); // sqrt(3/4 · 1/3) = 0.5
 */
export function bleuFromStatistics(statistics: BleuStatistics, epsilon = 0.1): number {
  const { matches, totals, hypothesisLength: c, referenceLength: r } = statistics;
  if ((matches[0] ?? 0) === 0 || c === 0) return 0;
  let logSum = 0;
  for (let n = 0; n < matches.length; n++) {
    const denominator = Math.max(1, totals[n] ?? 0);
    const numerator = (matches[n] ?? 0) === 0 ? epsilon : (matches[n] as number);
    logSum += Math.log(numerator / denominator);
  }
  const brevity = c > r ? 1 : Math.exp(1 - r / c);
  return brevity * Math.exp(logSum / matches.length);
}

/**
 * The reference length closest to `c`; on a tie the shorter one (NLTK's `closest_ref_length`).
 *
 * @example
 * closestLength(5, [3, 7, 4]); // 4
 * closestLength(5, [6, 4]); // 4: the shorter on a tie
 */
export function closestLength(c: number, lengths: Iterable<number>): number {
  let best = NaN;
  for (const length of lengths) {
    const distance = Math.abs(length - c);
    const bestDistance = Math.abs(best - c);
    if (Number.isNaN(best) || distance < bestDistance || (distance === bestDistance && length < best)) best = length;
  }
  return best;
}

/**
 * Sentence-level BLEU of one hypothesis against one or more references: uniform weights
 * over orders 1 … N (default N = 4), clipped n-gram counts (each n-gram counts at most as
 * often as in the reference where it is most frequent), the brevity penalty against the
 * reference length closest to the hypothesis's (shorter on a tie), and smoothing method 1
 * (epsilon 0.1 for orders without a match). See `bleuFromStatistics` for the formula.
 * Strings are split by `textTokens`. An empty hypothesis, or one without any unigram in
 * the references, gives 0; no references at all is an error.
 *
 * @example
 * sentenceBleu([1, 2, 3, 4], [[1, 2, 3, 4]]); // 1
 * sentenceBleu('the cat sat on the mat', ['the cat sat on a mat']); // 0.5373 (= (5/6 · 3/5 · 2/4 · 1/3)^(1/4))
 */
export function sentenceBleu(hypothesis: TokenSequence, references: readonly TokenSequence[], options: BleuOptions = {}): number {
  const maxOrder = checkInteger('bleu.maxOrder', options.maxOrder ?? 4, 1);
  const epsilon = checkAtLeast('bleu.epsilon', options.epsilon ?? 0.1, 0);
  if (references.length === 0) throw new RangeError('sentenceBleu needs at least one reference');
  const [hyp, ...refs] = internSequences([hypothesis, ...references]) as [Int32Array, ...Int32Array[]];
  const matches: number[] = [];
  const totals: number[] = [];
  for (let n = 1; n <= maxOrder; n++) {
    const maxReference = new Map<string, number>();
    for (const ref of refs) {
      for (const [key, count] of ngramCounts(ref, n)) maxReference.set(key, Math.max(count, maxReference.get(key) ?? 0));
    }
    let matched = 0;
    let total = 0;
    for (const [key, count] of ngramCounts(hyp, n)) {
      matched += Math.min(count, maxReference.get(key) ?? 0);
      total += count;
    }
    matches.push(matched);
    totals.push(total);
  }
  const referenceLength = closestLength(hyp.length, refs.map((ref) => ref.length));
  return bleuFromStatistics({ matches, totals, hypothesisLength: hyp.length, referenceLength }, epsilon);
}
