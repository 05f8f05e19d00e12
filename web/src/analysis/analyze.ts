import { type ChainSpec, createSampler, entropy, type SamplerOptions, type StageResult } from 'creativity-knobs';

/** Everything the views show about one distribution through one chain. */
export interface Analysis {
  /** The distribution after each stage; `trace[0]` is the input (softmax of the logits). */
  readonly trace: readonly StageResult[];
  readonly before: Float32Array;
  readonly after: Float32Array;
  /** Tokens the chain keeps (its decision: a kept token may have probability 0). */
  readonly kept: number;
  /** Tokens with non-zero probability before the chain. */
  readonly support: number;
  /** Probability mass, under `before`, of the kept tokens. */
  readonly keptMass: number;
  /** Entropy in nats. */
  readonly entropyBefore: number;
  readonly entropyAfter: number;
  /** Knobs of the chain the engine accepts but ignores (their stages do nothing). */
  readonly warnings: readonly string[];
}

/**
 * Runs the chain once with `trace` and measures the result, exactly as the library does
 * (`knobs dist --json` gives the same `probs`, `kept` and `entropy`).
 */
export function analyze(logits: Float32Array, chain: ChainSpec, options: SamplerOptions): Analysis {
  const sampler = createSampler(chain, options);
  const trace = sampler.trace(logits);
  const before = (trace[0] as StageResult).probs;
  const last = trace[trace.length - 1] as StageResult;
  const after = last.probs;
  const kept = last.kept;
  let support = 0;
  let keptMass = 0;
  for (let i = 0; i < after.length; i++) {
    if ((before[i] as number) > 0) support++;
    if (last.keptMask[i] === 1) keptMass += before[i] as number;
  }
  return { trace, before, after, kept, support, keptMass, entropyBefore: entropy(before), entropyAfter: entropy(after), warnings: sampler.warnings };
}

/**
 * Token ids by probability, highest first, ties by lower id (the order top-p uses).
 *
 * @example
 * rankByProbability(new Float32Array([0.2, 0.5, 0.3])); // Int32Array [1, 2, 0]
 */
export function rankByProbability(probs: Float32Array): Int32Array {
  const ids = new Int32Array(probs.length);
  for (let i = 0; i < ids.length; i++) ids[i] = i;
  return ids.sort((a, b) => (probs[b] as number) - (probs[a] as number) || a - b);
}

/**
 * The nucleus size at `p`: how many of the most likely tokens (in `rank` order) it takes
 * for their probability, summed in float64, to reach `p` (the crossing token counts, as
 * in top-p). `p <= 0` gives 1; a `p` the total never reaches gives every token of
 * non-zero probability.
 *
 * @example
 * nucleusSize(new Float32Array([0.5, 0.3, 0.2]), Int32Array.from([0, 1, 2]), 0.8); // 2
 */
export function nucleusSize(probs: Float32Array, rank: Int32Array, p: number): number {
  let cumulative = 0;
  let count = 0;
  for (const id of rank) {
    const value = probs[id] as number;
    if (value <= 0) break;
    cumulative += value;
    count++;
    if (cumulative >= p) return count;
  }
  return Math.max(count, 1);
}

/**
 * The ids of the `n` most likely tokens of `probs` (ties by lower id), most likely first,
 * skipping zeros. One pass with a small sorted buffer: O(V · n) at worst, fast for small n.
 */
export function topIds(probs: Float32Array, n: number): number[] {
  const best: number[] = [];
  const better = (a: number, b: number): boolean => (probs[a] as number) > (probs[b] as number) || ((probs[a] as number) === (probs[b] as number) && a < b);
  for (let id = 0; id < probs.length; id++) {
    if ((probs[id] as number) <= 0) continue;
    if (best.length === n && !better(id, best[n - 1] as number)) continue;
    let position = best.length === n ? n - 1 : best.length;
    while (position > 0 && better(id, best[position - 1] as number)) position--;
    best.splice(position, 0, id);
    if (best.length > n) best.pop();
  }
  return best;
}

/** The name of the stage that removed token `id` (first stage where it drops to 0), if any. */
export function cutBy(trace: readonly StageResult[], id: number): string | undefined {
  for (let index = 1; index < trace.length; index++) {
    const previous = (trace[index - 1] as StageResult).probs[id] as number;
    const current = (trace[index] as StageResult).probs[id] as number;
    if (previous > 0 && current === 0) return (trace[index] as StageResult).name;
  }
  return undefined;
}
