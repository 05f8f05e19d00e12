import type { TopPSteps } from '../charts/topPCumulative.js';
import { softmax } from '../core/softmax.js';
import { seedExamples } from '../examples/index.js';
import { createSampler } from '../samplers/chain.js';

/** What `topPDemo` returns: the rows of the top-p figure. */
export type TopPDemo = TopPSteps;

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
