import { corpusPerplexity } from '../analysis/metrics/corpusPerplexity.js';
import { distinctN } from '../analysis/metrics/distinctN.js';
import { pairwiseSimilarity } from '../analysis/metrics/pairwiseSimilarity.js';
import { selfBleu } from '../analysis/metrics/selfBleu.js';
import { textTokens } from '../analysis/metrics/tokenSequences.js';
import type { TokenInfo } from '../providers/types.js';

/** One completion as the metrics read it. */
export interface MetricInput {
  readonly text: string;
  /** Generated tokens with log-probabilities, when the provider gave them. */
  readonly tokens?: readonly TokenInfo[];
}

/** The diversity and likelihood of the completions of one setting. */
export interface DiversityMetrics {
  readonly count: number;
  /** Number of distinct completion strings. */
  readonly distinct: number;
  /** distinct-1/2/3 over words (`distinctN` on `textTokens`); NaN without n-grams. */
  readonly distinct1: number;
  readonly distinct2: number;
  readonly distinct3: number;
  /** Self-BLEU-4 over words (lower = more diverse); NaN for fewer than two completions. */
  readonly selfBleu: number;
  /** Mean pairwise cosine similarity of word counts (lower = more diverse); NaN for fewer than two. */
  readonly pairwiseSimilarity: number;
  /** Mean length in words (`textTokens`) and in characters (code points). */
  readonly meanWords: number;
  readonly meanChars: number;
  /** Mean log-probability per generated token, pooled over all completions (nats); only when every completion has them. */
  readonly meanLogprob?: number;
  /** `exp(-meanLogprob)` (`corpusPerplexity`). */
  readonly perplexity?: number;
}

/**
 * Diversity of a set of completions of one setting: how many distinct texts, distinct-1/2/3,
 * self-BLEU-4 and mean pairwise cosine similarity (engineer E's definitions in
 * `analysis/metrics`, over words as `textTokens` splits them, so remote and local
 * providers are measured alike), mean length in words and characters, and, when every
 * completion carries per-token log-probabilities, their pooled mean and the perplexity
 * `exp(-mean)`. An empty set gives count 0 and NaN for the rest.
 *
 * @example
 * diversityMetrics([{ text: 'the cat' }, { text: 'the dog' }]);
 * // { count: 2, distinct: 2, distinct1: 0.75, distinct2: 1, distinct3: NaN, pairwiseSimilarity: 0.5, meanWords: 2, meanChars: 7, ... }
 */
export function diversityMetrics(completions: readonly MetricInput[]): DiversityMetrics {
  const texts = completions.map((completion) => completion.text);
  const words = texts.map((text) => textTokens(text));
  const count = texts.length;
  const mean = (values: readonly number[]): number => (values.length === 0 ? NaN : values.reduce((sum, value) => sum + value, 0) / values.length);
  const logprobs = completions.map((completion) => completion.tokens?.map((token) => token.logprob));
  const complete = count > 0 && logprobs.every((list): list is number[] => list !== undefined && list.every((value) => value !== null));
  const metrics: DiversityMetrics = {
    count,
    distinct: new Set(texts).size,
    distinct1: distinctN(words, 1),
    distinct2: distinctN(words, 2),
    distinct3: distinctN(words, 3),
    selfBleu: selfBleu(words),
    pairwiseSimilarity: pairwiseSimilarity(words),
    meanWords: mean(words.map((list) => list.length)),
    meanChars: mean(texts.map((text) => Array.from(text).length)),
  };
  if (!complete) return metrics;
  const all = logprobs as number[][];
  const tokenCount = all.reduce((sum, list) => sum + list.length, 0);
  if (tokenCount === 0) return metrics;
  const meanLogprob = all.reduce((sum, list) => sum + list.reduce((a, b) => a + b, 0), 0) / tokenCount;
  return { ...metrics, meanLogprob, perplexity: corpusPerplexity(all) };
}
