import { softmax } from '../core/softmax.js';
import { seedExamples } from '../examples/index.js';
import { createSampler } from '../samplers/chain.js';

/** The seed's nucleus example (top_p_sampling.py), step by step. */
export interface TopPDemo {
  readonly tokens: readonly string[];
  readonly p: number;
  readonly probs: Float32Array;
  /** Token ids by probability descending. */
  readonly order: number[];
  /** Cumulative probability along `order`. */
  readonly cumulative: number[];
  readonly kept: number;
  /** Renormalised nucleus in token order (0 for cut tokens). */
  readonly filtered: Float32Array;
}

/**
 * Top-p = 0.9 on the seed's eight tokens ("the", "a", "one", ...): keeps four.
 *
 * @example
 * topPDemo().kept; // 4
 */
export function topPDemo(p: number = seedExamples.top_p_8.p): TopPDemo {
  const { tokens, logits } = seedExamples.top_p_8;
  const probs = softmax(logits);
  const order = Array.from(probs.keys()).sort((a, b) => (probs[b] as number) - (probs[a] as number) || a - b);
  let running = 0;
  const cumulative = order.map((id) => (running += probs[id] as number));
  const filtered = createSampler([{ top_p: p }]).distribution(Float32Array.from(logits));
  const kept = filtered.reduce((count, value) => count + (value > 0 ? 1 : 0), 0);
  return { tokens, p, probs, order, cumulative, kept, filtered };
}
