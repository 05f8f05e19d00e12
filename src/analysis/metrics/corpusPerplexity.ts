/**
 * Perplexity of a set of texts from the natural-log probabilities of their tokens, pooled
 * over tokens (not averaged over texts): `exp(−Σ_all logprob / N_all)`, where the sums run
 * over every token of every text. This is how Holtzman et al. (2020) report the perplexity
 * of generated text (their `perplexity.py` pools the per-token negative log-likelihoods of
 * all generations). A −Infinity log-probability gives Infinity. No tokens at all give NaN
 * (there is nothing to compare; `sequencePerplexity` of one empty text is 1).
 *
 * @example
 * corpusPerplexity([[Math.log(0.5)], [Math.log(0.25), Math.log(0.125)]]); // 4 (= 2^(6/3))
 */
export function corpusPerplexity(logprobs: readonly ArrayLike<number>[]): number {
  let sum = 0;
  let count = 0;
  for (const text of logprobs) {
    for (let i = 0; i < text.length; i++) sum += text[i] as number;
    count += text.length;
  }
  return count === 0 ? NaN : Math.exp(-sum / count);
}
