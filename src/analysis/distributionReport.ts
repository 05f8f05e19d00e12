import { entropy } from '../core/entropy.js';
import { rankDescending } from '../core/rankDescending.js';
import { softmax } from '../core/softmax.js';
import { createSampler, type SamplerOptions } from '../samplers/chain.js';
import type { ChainSpec } from '../samplers/spec.js';

/** One distribution before and after a chain (what `knobs dist` prints). */
export interface DistributionReport {
  /** Softmax of the input logits, in token-id order. */
  readonly before: Float32Array;
  /** Final probability of every token id after the chain (0 = removed). */
  readonly after: Float32Array;
  /**
   * Number of tokens the chain keeps, from its decision (`kept`): a kept token whose float32
   * probability underflows to 0 still counts.
   */
  readonly kept: number;
  /** 1 for every kept token id, 0 for removed ones. */
  readonly keptMask: Uint8Array;
  /** Probability mass (under `before`) of the kept tokens. */
  readonly keptMass: number;
  /** Entropy in nats before and after the chain. */
  readonly entropy: { readonly before: number; readonly after: number };
  /** Token ids ordered by `before` descending (ties by lower id). */
  readonly rank: Int32Array;
  /** Knobs of the chain the engine accepts but ignores (`KnobsSampler.warnings`). */
  readonly warnings: readonly string[];
}

/**
 * Runs one distribution through a chain and measures it.
 *
 * @example
 * const report = distributionReport(new Float32Array([3, 2.5, 2, 1, 0.5, 0, -0.5, -1]), 'top_p=0.9');
 * report.kept; // 4
 */
export function distributionReport(logits: Float32Array, chain: ChainSpec | string, options: SamplerOptions = {}): DistributionReport {
  const before = softmax(logits);
  const sampler = createSampler(chain, options);
  const keptMask = new Uint8Array(logits.length);
  const after = sampler.distribution(logits, undefined, keptMask);
  let kept = 0;
  let keptMass = 0;
  for (let i = 0; i < after.length; i++) {
    if (keptMask[i] === 1) {
      kept++;
      keptMass += before[i] as number;
    }
  }
  const rank = rankDescending(before);
  return { before, after, kept, keptMask, keptMass, entropy: { before: entropy(before), after: entropy(after) }, rank, warnings: sampler.warnings };
}
