import { entropy } from './entropy.js';

/**
 * Perplexity of a distribution: `exp(H)` with H the entropy in nats, the "effective
 * number of equally likely choices". A uniform distribution over n tokens gives n.
 *
 * @example
 * perplexity([0.25, 0.25, 0.25, 0.25]); // 4
 */
export function perplexity(probs: ArrayLike<number>): number {
  return Math.exp(entropy(probs));
}

/**
 * Perplexity of a sequence from the natural-log probabilities of its tokens:
 * `exp(-mean(logprobs))`. Empty input gives 1.
 *
 * @example
 * sequencePerplexity([Math.log(0.5), Math.log(0.25)]); // 2.828 (= 1 / sqrt(0.5 · 0.25))
 */
export function sequencePerplexity(logprobs: ArrayLike<number>): number {
  if (logprobs.length === 0) return 1;
  let sum = 0;
  for (let i = 0; i < logprobs.length; i++) sum += logprobs[i] as number;
  return Math.exp(-sum / logprobs.length);
}
