import { createSampler, type SamplerOptions } from '../samplers/chain.js';
import type { ChainSpec } from '../samplers/spec.js';
import { chiSquareTest, type ChiSquareResult } from './chiSquare.js';

/** Counts of `n` seeded draws against the chain's distribution. */
export interface SampleCounts extends ChiSquareResult {
  readonly n: number;
  /** Draws per token id. */
  readonly counts: Int32Array;
  /** The chain's final distribution (what the draws should follow). */
  readonly expected: Float32Array;
  /** Knobs of the chain the engine accepts but ignores (`KnobsSampler.warnings`). */
  readonly warnings: readonly string[];
}

/**
 * Draws `n` tokens from one distribution through a chain (seeded; draws are not
 * accepted, so the distribution does not change) and tests the counts against the
 * chain's distribution with Pearson's chi-square. The draws are those of `n` calls of
 * `sample`, taken with `sampleMany` (one run of the chain and a binary search per draw when
 * the chain draws nothing inside).
 *
 * @example
 * sampleCounts(new Float32Array([0, 0]), [], 1000, { seed: 7 }).counts; // about [500, 500]
 */
export function sampleCounts(logits: Float32Array, chain: ChainSpec | string, n: number, options: SamplerOptions = {}): SampleCounts {
  const sampler = createSampler(chain, options);
  const expected = sampler.distribution(logits);
  const counts = new Int32Array(logits.length);
  sampler.sampleMany(logits, n, counts);
  return { n, counts, expected, warnings: sampler.warnings, ...chiSquareTest(counts, expected) };
}
