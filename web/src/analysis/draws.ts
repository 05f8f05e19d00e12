import { type ChainSpec, type ChiSquareResult, chiSquareTest, createSampler, type SamplerOptions } from 'creativity-knobs';

/** `n` seeded draws from one distribution: what `knobs sample --n N --seed S` counts. */
export interface Draws extends ChiSquareResult {
  readonly n: number;
  readonly seed: number;
  readonly counts: Int32Array;
  readonly expected: Float32Array;
  /** The first token drawn. */
  readonly first: number;
  /** Whether the draws came from one run of the chain (see `KnobsSampler.sampleMany`). */
  readonly fast: boolean;
}

/**
 * Draws `n` tokens exactly as `sampleCounts` (and `knobs sample`) does, with the library's
 * `sampleMany`: one run of the chain and a binary search per draw when the chain draws
 * nothing inside; otherwise the chain runs before every draw, in slices of `sliceSize` draws
 * with `onProgress` between them (await it to keep the page responsive).
 */
export async function drawMany(
  logits: Float32Array,
  chain: ChainSpec,
  n: number,
  options: SamplerOptions,
  onProgress?: (done: number) => Promise<void> | void,
  sliceSize = 200,
): Promise<Draws> {
  const seed = options.seed ?? 0;
  // As sampleCounts: one sampler gives the expected distribution, then draws n times.
  const sampler = createSampler(chain, options);
  const expected = sampler.distribution(logits);
  const counts = new Int32Array(logits.length);
  let first = -1;
  let fast = true;
  for (let done = 0; done < n; ) {
    // A first slice finds out whether the chain draws inside; if not, the rest in one go.
    const take = done > 0 && fast ? n - done : Math.min(sliceSize, n - done);
    const result = sampler.sampleMany(logits, take, counts);
    if (first < 0) first = result.first;
    fast = result.fast;
    done += take;
    if (!fast && done < n) await onProgress?.(done);
  }
  return { n, seed, counts, expected, first, fast, ...chiSquareTest(counts, expected) };
}
