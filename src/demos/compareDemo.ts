import { softmax } from '../core/softmax.js';
import { seedExamples } from '../examples/index.js';
import { createSampler } from '../samplers/chain.js';

/** What one truncation keeps of a distribution. */
export interface Truncation {
  readonly kept: number;
  /** Probability mass of the kept tokens under the original distribution. */
  readonly mass: number;
}

/** Top-k vs top-p on one distribution. */
export interface CompareCase {
  readonly name: string;
  readonly probs: Float32Array;
  readonly topK: Truncation;
  readonly topP: Truncation;
}

function truncation(logits: Float32Array, probs: Float32Array, chain: Parameters<typeof createSampler>[0]): Truncation {
  const after = createSampler(chain).distribution(logits);
  let kept = 0;
  let mass = 0;
  after.forEach((value, id) => {
    if (value > 0) {
      kept++;
      mass += probs[id] as number;
    }
  });
  return { kept, mass };
}

/**
 * The seed's top-k vs top-p comparison (compare_topk_topp.py): k = 3 and p = 0.9 on a
 * confident and an uncertain distribution, with the true kept mass (the original printed
 * a fixed "90%" for top-p).
 *
 * @example
 * compareDemo()[0].topP; // { kept: 1, mass: 0.927 } on the confident case
 */
export function compareDemo(k: number = seedExamples.compare_topk_topp.k, p: number = seedExamples.compare_topk_topp.p): CompareCase[] {
  return Object.entries(seedExamples.compare_topk_topp.cases).map(([name, { logits }]) => {
    const input = Float32Array.from(logits);
    const probs = softmax(input);
    return { name, probs, topK: truncation(input, probs, [{ top_k: k }]), topP: truncation(input, probs, [{ top_p: p }]) };
  });
}
