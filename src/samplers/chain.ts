import { checkInteger } from '../core/validate.js';
import { getKernel, type KernelChoice } from '../kernel/index.js';
import { Candidates } from './candidates.js';
import { drawToken } from './draw.js';
import { FALL_BACK, FastChain, registerFastChain } from './fast/executor.js';
import { planFastChain } from './fast/plan.js';
import { getProfile, type EngineName, type EngineProfile } from './profiles.js';
import { samplerDefinition } from './registry.js';
import { Rng } from './rng.js';
import type { Sampler, SamplerContext } from './sampler.js';
import { parseChain, type ChainSpec, type ParsedStage } from './spec.js';

/** Options of `createSampler`. */
export interface SamplerOptions {
  /** Seed of the chain's generator (default 0). The same seed gives the same draws everywhere. */
  seed?: number;
  /** Engine profile whose semantics the samplers follow (default `'knobs'`). */
  engine?: EngineName | string;
  /** Token ids of the prompt, for penalties and the like. */
  prompt?: readonly number[];
  /** Token ids already generated, oldest first (as if each had been accepted). */
  history?: readonly number[];
  /**
   * How `distribution` and `sample` run a chain made only of temperature, top_k, top_p,
   * min_p and greedy (`src/samplers/fast`): `'auto'` (default) WebAssembly SIMD where
   * available, else pure TypeScript; `'wasm'`, `'ts'`; `'reference'` runs every stage as its
   * reference sampler. All give the same results. `trace` always runs the reference.
   */
  kernel?: KernelChoice;
  /** Vocabulary size from which the fast path is used (default 1024; smaller rows run the reference). */
  fastFrom?: number;
  /**
   * Working buffers to use instead of the sampler's own (sized to the vocabulary), so that
   * samplers run one at a time can share them (`createBatchSampler` does).
   */
  workspace?: Candidates;
}

/** The distribution after one stage of a chain (the input is stage 0, named `input`). */
export interface StageResult {
  readonly name: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  /** Probability of every token id after this stage; 0 for removed tokens. */
  readonly probs: Float32Array;
  /** How many tokens are still live. */
  readonly kept: number;
}

/** A built chain: the library's entry point (see `createSampler`). */
export interface KnobsSampler {
  readonly engine: EngineProfile;
  readonly stages: readonly ParsedStage[];
  /** Final probability of every token id (0 = removed), in token-id order. */
  distribution(logits: ArrayLike<number>, out?: Float32Array): Float32Array;
  /** Runs the chain and draws one token id (seeded). Does not accept it. */
  sample(logits: ArrayLike<number>): number;
  /** Adds `token` to the history that stateful samplers read. */
  accept(token: number): void;
  /** The distribution after each stage, for waterfalls and teaching. */
  trace(logits: ArrayLike<number>): StageResult[];
  /** Forgets the history and restarts the generator from the seed. */
  reset(): void;
  /** Token ids accepted so far (including `history` given at creation). */
  readonly generated: readonly number[];
}

/**
 * Builds a sampling chain: an ordered list of samplers, each narrowing or reshaping the
 * candidates in turn, followed by one seeded draw from what is left (unless the last
 * stage selects a single token, as greedy and mirostat do).
 *
 * @example
 * import { createSampler } from 'creativity-knobs';
 * const s = createSampler([{ top_k: 40 }, { top_p: 0.95 }, { temperature: 0.8 }], { seed: 1, engine: 'knobs' });
 * s.distribution(logits); // Float32Array: final probability of every token id (0 = removed)
 * const id = s.sample(logits);
 * s.accept(id);
 */
export function createSampler(chain: ChainSpec | string, options: SamplerOptions = {}): KnobsSampler {
  const profile = getProfile(options.engine ?? 'knobs');
  const seed = options.seed ?? 0;
  const rng = new Rng(seed);
  const stages = parseChain(chain);
  const samplers: Sampler[] = stages.map((stage) => samplerDefinition(stage.name).create(stage.parameters, profile));
  const prompt = [...(options.prompt ?? [])].map((id, index) => checkInteger(`prompt[${index}]`, id, 0));
  const initialHistory = [...(options.history ?? [])].map((id, index) => checkInteger(`history[${index}]`, id, 0));
  const generated: number[] = [...initialHistory];
  const context: SamplerContext = { rng, generated, prompt };
  let candidates: Candidates | undefined = options.workspace;
  const working = (size: number): Candidates => {
    if (!candidates || candidates.vocabSize !== size) candidates = new Candidates(size);
    return candidates;
  };

  const run = (logits: ArrayLike<number>): Candidates => {
    const result = working(logits.length);
    result.load(logits);
    for (const sampler of samplers) sampler.apply(result, context);
    return result;
  };

  // The fast path for chains it recognises; a row it cannot certify runs `run` instead.
  const plan = options.kernel === 'reference' ? null : planFastChain(stages, profile);
  const kernel = plan ? getKernel(options.kernel ?? 'auto') : null;
  const fast = plan && kernel ? new FastChain(plan, samplers, kernel) : null;
  const fastFrom = options.fastFrom ?? 1024;

  const sampler: KnobsSampler = {
    engine: profile,
    stages,
    generated,
    distribution(logits, out) {
      const size = logits.length;
      const target = out ?? new Float32Array(size);
      if (fast && size >= fastFrom && fast.distribution(logits, 0, size, working(size), context, target)) return target;
      return run(logits).writeDistribution(target);
    },
    sample(logits) {
      const size = logits.length;
      if (fast && size >= fastFrom) {
        const token = fast.sample(logits, 0, size, working(size), context, rng);
        if (token !== FALL_BACK) return token;
      }
      return drawToken(run(logits), rng);
    },
    accept(token) {
      checkInteger('token', token, 0);
      generated.push(token);
      for (const sampler of samplers) sampler.accept?.(token);
    },
    trace(logits) {
      const working = new Candidates(logits.length);
      working.load(logits);
      const snapshot = (name: string, parameters: Readonly<Record<string, unknown>>): StageResult => ({
        name,
        parameters,
        probs: working.writeDistribution(new Float32Array(logits.length)),
        kept: working.size,
      });
      const results = [snapshot('input', {})];
      samplers.forEach((sampler, index) => {
        sampler.apply(working, context);
        results.push(snapshot(sampler.name, (stages[index] as ParsedStage).parameters));
      });
      return results;
    },
    reset() {
      generated.length = 0;
      generated.push(...initialHistory);
      rng.seed(seed);
      for (const sampler of samplers) sampler.reset?.();
    },
  };
  if (fast) registerFastChain(sampler, fast);
  return sampler;
}
