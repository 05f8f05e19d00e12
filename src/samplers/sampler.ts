import type { Candidates } from './candidates.js';
import type { Rng } from './rng.js';

/** What a sampler may read besides the candidates: the seeded generator and the history. */
export interface SamplerContext {
  /** The chain's seeded generator; samplers that draw (xtc, mirostat) use only this. */
  readonly rng: Rng;
  /** Token ids generated so far (accepted with `accept`), oldest first. */
  readonly generated: readonly number[];
  /** Token ids of the prompt, oldest first (kept apart: some engines' penalties skip them). */
  readonly prompt: readonly number[];
  /** The model's end-of-sequence ids, when known (min_tokens masks them; transformers' bad words skip `[eos]`). */
  readonly eos?: readonly number[];
}

/**
 * One stage of a chain, in the shape of llama.cpp's sampler interface: `apply` narrows or
 * reshapes the candidates in place; `accept` lets a stateful sampler learn the token that
 * was finally chosen; `reset` forgets that state; `clone` copies it. A chain is itself a
 * `Sampler` (`createSampler`), so chains nest.
 */
export interface Sampler {
  readonly name: string;
  apply(candidates: Candidates, context: SamplerContext): void;
  accept?(token: number): void;
  reset?(): void;
  /**
   * A copy with the same state that then evolves on its own (mirostat's mu, a nested
   * chain's history). A sampler without state need not implement it: copies share it.
   */
  clone?(): Sampler;
}
