import { Candidates, type ChainSpec, type ChiSquareResult, chiSquareTest, createSampler, createStage, engineStages, getProfile, parseChain, Rng, type SamplerContext, type SamplerOptions } from 'creativity-knobs';

/** `n` seeded draws from one distribution: what `knobs sample --n N --seed S` counts. */
export interface Draws extends ChiSquareResult {
  readonly n: number;
  readonly seed: number;
  readonly counts: Int32Array;
  readonly expected: Float32Array;
  /** The first token drawn. */
  readonly first: number;
  /** Whether the fast exact path was used (see `drawMany`). */
  readonly fast: boolean;
}

/** An `Rng` that counts how many 32-bit outputs were taken from it. */
class CountingRng extends Rng {
  calls = 0;
  override nextUint32(): number {
    this.calls++;
    return super.nextUint32();
  }
}

/**
 * Draws `n` tokens exactly as `sampleCounts` (and `knobs sample`) does, fast when it can.
 *
 * `sampleCounts` runs the whole chain before every draw, which on a 200k-token
 * vocabulary takes milliseconds per draw. But when one run of the chain takes nothing
 * from the generator, the run is a pure function of the same logits and history, so
 * every run leaves the same candidates and each draw is one `drawToken` on them. This
 * function runs the chain once with a counting generator; if it was not touched, it
 * builds the cumulative weights in the order and float64 arithmetic of `drawToken` and
 * answers each draw with a binary search for the first cumulative weight above
 * `u × total`: the same token `drawToken`'s linear scan returns, for the same `u`.
 * Chains that draw inside (xtc, mirostat) take the slow path, in slices of `sliceSize`
 * draws with `onProgress` between them (await it to keep a page responsive).
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
  const fast = fastDraws(logits, chain, n, options, counts);
  let first = fast ?? -1;
  if (fast === undefined) {
    for (let done = 0; done < n; ) {
      const end = Math.min(n, done + sliceSize);
      for (; done < end; done++) {
        const id = sampler.sample(logits);
        if (first < 0) first = id;
        counts[id] = (counts[id] as number) + 1;
      }
      if (done < n) await onProgress?.(done);
    }
  }
  return { n, seed, counts, expected, first, fast: fast !== undefined, ...chiSquareTest(counts, expected) };
}

/** The fast path: fills `counts` and returns the first token, or `undefined` when the chain draws inside. */
function fastDraws(logits: Float32Array, chain: ChainSpec, n: number, options: SamplerOptions, counts: Int32Array): number | undefined {
  const profile = getProfile(options.engine ?? 'knobs');
  const rng = new CountingRng(options.seed ?? 0);
  // The stages the engine runs (koboldcpp's hidden top-k, SGLang's joint top-k/top-p), as createSampler builds them.
  const samplers = engineStages(profile, parseChain(chain)).map((stage) => createStage(stage.name, stage.parameters, profile));
  const context: SamplerContext = { rng, generated: [...(options.history ?? [])], prompt: [...(options.prompt ?? [])], eos: [...(options.eos ?? [])] };
  const candidates = new Candidates(logits.length);
  candidates.load(logits);
  for (const sampler of samplers) sampler.apply(candidates, context);
  if (rng.calls !== 0) return undefined;
  if (candidates.size === 1) {
    const only = candidates.ids[0] as number;
    counts[only] = n;
    return only;
  }
  // drawToken's arithmetic, once: ids ascending, weights exp(logit - max) in float64.
  candidates.sortById();
  const size = candidates.size;
  const ids = candidates.ids;
  const max = candidates.maxLogit();
  const cumulative = new Float64Array(size);
  let total = 0;
  for (let i = 0; i < size; i++) total += Math.exp((candidates.logits[ids[i] as number] as number) - max);
  let running = 0;
  let lastPositive = ids[0] as number;
  for (let i = 0; i < size; i++) {
    const weight = Math.exp((candidates.logits[ids[i] as number] as number) - max);
    running += weight;
    cumulative[i] = running;
    if (weight > 0) lastPositive = ids[i] as number;
  }
  let first = -1;
  for (let draw = 0; draw < n; draw++) {
    const target = rng.nextFloat() * total;
    let low = 0;
    let high = size; // first index with cumulative > target, or size if none
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((cumulative[middle] as number) > target) high = middle;
      else low = middle + 1;
    }
    const id = low < size ? (ids[low] as number) : lastPositive;
    if (first < 0) first = id;
    counts[id] = (counts[id] as number) + 1;
  }
  return first;
}
