import { checkInteger } from '../core/validate.js';
import { getKernel, type KernelChoice } from '../kernel/index.js';
import { Candidates } from './candidates.js';
import { drawToken } from './draw.js';
import { resolveParameters } from './definition.js';
import { FALL_BACK, FastChain, registerFastChain } from './fast/executor.js';
import { planFastChain, type FastPlan } from './fast/plan.js';
import { engineStages, getProfile, type EngineName, type EngineProfile } from './profiles.js';
import { createStage, samplerDefinition } from './registry.js';
import { Rng } from './rng.js';
import type { Sampler, SamplerContext } from './sampler.js';
import { parseChain, parseStage, type ChainSpec, type ParsedStage, type StageSpec } from './spec.js';

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
  /** The model's end-of-sequence ids (min_tokens masks them beside its own stop ids; transformers' bad words skip `[eos]`). */
  eos?: readonly number[];
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

/** A chain as `createSampler` takes it: the JSON or compact form, or stages mixed with ready `Sampler` objects (nested chains). */
export type ChainInput = ChainSpec | string | readonly (StageSpec | Sampler)[];

/**
 * A built chain: the library's entry point (see `createSampler`). It is itself a
 * `Sampler`, so a chain can be a stage of another chain (llama.cpp's `llama_sampler_chain`):
 * nested, it applies its stages to the parent's candidates with the parent's generator and
 * history, and leaves the final draw to the parent.
 */
export interface KnobsSampler extends Sampler {
  readonly name: 'chain';
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
  /**
   * A copy with all state: the generator's position, the history, and every stage's own
   * state (mirostat's mu, ...). The copy and the original then continue independently; both
   * draw the same tokens from the same logits.
   */
  clone(): KnobsSampler;
  /** Token ids accepted so far (including `history` given at creation). */
  readonly generated: readonly number[];
  /**
   * One sentence per knob of the chain that the engine accepts but ignores (the profile's
   * `ignored` field: transformers.js's top_p, SGLang's repetition penalty): those stages do
   * nothing. Empty under engines that apply everything they accept.
   */
  readonly warnings: readonly string[];
}

/**
 * Builds a sampling chain: an ordered list of samplers, each narrowing or reshaping the
 * candidates in turn, followed by one seeded draw from what is left (unless the last
 * stage selects a single token, as greedy and mirostat do). Stages may also be `Sampler`
 * objects, such as another chain.
 *
 * @example
 * import { createSampler } from 'creativity-knobs';
 * const s = createSampler([{ top_k: 40 }, { top_p: 0.95 }, { temperature: 0.8 }], { seed: 1, engine: 'knobs' });
 * s.distribution(logits); // Float32Array: final probability of every token id (0 = removed)
 * const id = s.sample(logits);
 * s.accept(id);
 */
export function createSampler(chain: ChainInput, options: SamplerOptions = {}): KnobsSampler {
  const profile = getProfile(options.engine ?? 'knobs');
  const seed = options.seed ?? 0;
  const rng = new Rng(seed);
  const built = buildStages(chain, profile);
  const prompt = [...(options.prompt ?? [])].map((id, index) => checkInteger(`prompt[${index}]`, id, 0));
  const initialHistory = [...(options.history ?? [])].map((id, index) => checkInteger(`history[${index}]`, id, 0));
  const eos = [...(options.eos ?? [])].map((id, index) => checkInteger(`eos[${index}]`, id, 0));
  return chainSampler({ profile, seed, rng, stages: built.stages, samplers: built.samplers, plan: built.plan, warnings: built.warnings, prompt, eos, initialHistory, generated: [...initialHistory], options });
}

interface BuiltStages {
  readonly stages: ParsedStage[];
  readonly samplers: Sampler[];
  /** The fast path's plan, when every stage is one it runs. */
  readonly plan: FastPlan | null;
  /** Knobs the engine ignores (`createStage`'s warnings). */
  readonly warnings: string[];
}

function buildStages(chain: ChainInput, profile: EngineProfile): BuiltStages {
  const given: readonly (ParsedStage | Sampler)[] =
    typeof chain === 'string' ? parseChain(chain) : chain.map((item, index) => (isSampler(item) ? item : parseStage(item, index)));
  // Stages the engine adds or reorders itself (koboldcpp's top-k 3000, SGLang's joint top-k/top-p).
  const items = engineStages(profile, given);
  const stages: ParsedStage[] = [];
  const samplers: Sampler[] = [];
  const warnings: string[] = [];
  const resolved: { name: string; parameters: Record<string, unknown> }[] = [];
  for (const item of items) {
    if (isSampler(item)) {
      stages.push({ name: item.name, parameters: {} });
      samplers.push(item);
      continue;
    }
    stages.push(item);
    samplers.push(createStage(item.name, item.parameters, profile, warnings));
    // A stage the engine ignores, wholly or in part, never reaches the fast path.
    const ignored = Object.keys(profile.ignored).some((key) => key === item.name || key.startsWith(`${item.name}.`));
    if (!ignored) resolved.push({ name: item.name, parameters: resolveParameters(samplerDefinition(item.name), item.parameters, profile) });
  }
  const plan = resolved.length === items.length ? planFastChain(resolved, profile) : null;
  return { stages, samplers, plan, warnings };
}

function isSampler(item: unknown): item is Sampler {
  return typeof item === 'object' && item !== null && typeof (item as Sampler).apply === 'function';
}

/** Everything a chain holds; `clone` copies it. */
interface ChainState {
  readonly profile: EngineProfile;
  readonly seed: number;
  readonly rng: Rng;
  readonly stages: readonly ParsedStage[];
  readonly samplers: readonly Sampler[];
  readonly plan: FastPlan | null;
  readonly warnings: readonly string[];
  readonly prompt: readonly number[];
  readonly eos: readonly number[];
  readonly initialHistory: readonly number[];
  readonly generated: number[];
  readonly options: SamplerOptions;
}

function chainSampler(state: ChainState): KnobsSampler {
  const { profile, seed, rng, stages, samplers, prompt, eos, initialHistory, generated, options, plan, warnings } = state;
  const context: SamplerContext = { rng, generated, prompt, eos };
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
  const kernel = plan && options.kernel !== 'reference' ? getKernel(options.kernel ?? 'auto') : null;
  const fast = plan && kernel ? new FastChain(plan, samplers, kernel) : null;
  const fastFrom = options.fastFrom ?? 1024;

  const sampler: KnobsSampler = {
    name: 'chain',
    engine: profile,
    stages,
    generated,
    warnings,
    apply(nested, parentContext) {
      for (const stage of samplers) stage.apply(nested, parentContext);
    },
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
      for (const stage of samplers) stage.accept?.(token);
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
      samplers.forEach((stage, index) => {
        stage.apply(working, context);
        results.push(snapshot(stage.name, (stages[index] as ParsedStage).parameters));
      });
      return results;
    },
    reset() {
      generated.length = 0;
      generated.push(...initialHistory);
      rng.seed(seed);
      for (const stage of samplers) stage.reset?.();
    },
    clone() {
      return chainSampler({
        ...state,
        rng: rng.clone(),
        samplers: samplers.map((stage) => stage.clone?.() ?? stage),
        generated: [...generated],
        options: { ...options, workspace: undefined },
      });
    },
  };
  if (fast) registerFastChain(sampler, fast);
  return sampler;
}
