import { ChainSpecError, InvalidParameterError } from '../core/errors.js';
import { checkInteger } from '../core/validate.js';
import { createKernel, getKernel, type KernelChoice } from '../kernel/index.js';
import { Candidates } from './candidates.js';
import { drawToken } from './draw.js';
import { DrawTable } from './drawTable.js';
import { resolveParameters } from './definition.js';
import { planFastChain, type ResolvedStage } from './fast/plan.js';
import type { FastStage } from './fast/row.js';
import { FALL_BACK, FastChain, type FastStats } from './fast/runner.js';
import { engineStages, getProfile, type EngineName, type EngineProfile } from './profiles.js';
import { createStage, samplerDefinition } from './registry.js';
import { Rng } from './rng.js';
import type { Sampler, SamplerContext } from './sampler.js';
import { parseChain, parseStage, type ChainSpec, type ParsedStage, type StageSpec } from './spec.js';

/** Rows of at least this many tokens take the fast path under `fast: 'auto'`. */
const FAST_FROM = 1024;

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
   * The fast path (`src/samplers/fast`): a chain whose every stage has a fast form under the
   * profile runs on whole rows in the kernel's memory, with the same results as the
   * reference samplers (the same kept set, probabilities and drawn token). `'auto'`
   * (default): for rows of 1,024 tokens or more; `'off'`: never; `'force'`: for rows of every
   * size, and a chain without a fast form is an error that says which stage and why.
   * `trace` always runs the reference samplers.
   */
  fast?: 'auto' | 'off' | 'force';
  /** The fast path's kernel: `'auto'` (default) WebAssembly SIMD where available, else TypeScript; `'wasm'`, `'ts'` (identical results). */
  kernel?: KernelChoice;
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
  /** How many tokens are still live (the decision: a live token may have probability 0). */
  readonly kept: number;
  /** 1 for every live token id, 0 for removed ones. */
  readonly keptMask: Uint8Array;
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
  /**
   * Final probability of every token id (0 = removed), in token-id order. With `kept`, also
   * the chain's decision: 1 for every kept token, 0 for removed ones — a kept token whose
   * float32 probability underflows to 0 is kept all the same.
   */
  distribution(logits: ArrayLike<number>, out?: Float32Array, kept?: Uint8Array): Float32Array;
  /** Runs the chain and draws one token id (seeded). Does not accept it. */
  sample(logits: ArrayLike<number>): number;
  /**
   * Draws `n` tokens from one row exactly as `n` calls of `sample` would — the same tokens for
   * the same seed — adding one to `counts[id]` per draw; returns the first token drawn and
   * whether the fast way was taken. When one run of the chain takes nothing from the
   * generator (no xtc, mirostat...), every run would leave the same candidates: the chain
   * runs once, `drawToken`'s cumulative weights are built once (`DrawTable`) and each draw is a
   * binary search with the same uniform. Otherwise the chain runs before every draw.
   */
  sampleMany(logits: ArrayLike<number>, n: number, counts: Int32Array): { readonly first: number; readonly fast: boolean };
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
  /**
   * A Float32Array of `vocabSize` entries inside the fast path's kernel memory: write a row of
   * logits there and pass the array to `sample` or `distribution`, and the row is not copied
   * (greedy decoding then reads it once). The first call gives this sampler a kernel of its
   * own. The array is a view on WebAssembly memory: it stays valid until this sampler meets a
   * larger vocabulary (the memory then grows and the view is detached), so fetch it again
   * after that — calling `inputBuffer` before each row costs nothing. Without a fast path
   * (`fast: 'off'`, or a chain without one) it is a plain array, copied as any other input.
   */
  inputBuffer(vocabSize: number): Float32Array;
  /** Whether this chain runs on the fast path, why not, and what it did (rows, fallbacks). */
  readonly fastPath: { readonly enabled: boolean; readonly reason: string; readonly stats: FastStats | null };
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
  /** The fast forms of the stages, or why the chain has none. */
  readonly plan: FastStage[] | string;
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
  const resolved: (ResolvedStage | string)[] = [];
  for (const item of items) {
    if (isSampler(item)) {
      stages.push({ name: item.name, parameters: {} });
      samplers.push(item);
      resolved.push('a nested sampler has no fast form');
      continue;
    }
    stages.push(item);
    samplers.push(createStage(item.name, item.parameters, profile, warnings));
    // A stage the engine ignores, wholly or in part, never reaches the fast path.
    const ignored = Object.keys(profile.ignored).some((key) => key === item.name || key.startsWith(`${item.name}.`));
    resolved.push(ignored ? `${item.name}: ${profile.name} ignores it` : { name: item.name, parameters: resolveParameters(samplerDefinition(item.name), item.parameters, profile) });
  }
  return { stages, samplers, plan: planFastChain(resolved, profile), warnings };
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
  readonly plan: FastStage[] | string;
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

  // The fast path for chains whose stages all have a fast form; a row it cannot certify
  // runs `run` instead.
  const mode = options.fast ?? 'auto';
  if (mode !== 'auto' && mode !== 'off' && mode !== 'force') throw new InvalidParameterError('fast', mode, "'auto', 'off' or 'force'");
  if (mode === 'force' && typeof plan === 'string') throw new ChainSpecError(`fast: 'force' but the chain has no fast path (${plan})`);
  const reason = mode === 'off' ? "fast: 'off'" : typeof plan === 'string' ? plan : '';
  let fast: FastChain | null = null;
  const fastChain = (size: number): FastChain | null => {
    if (reason !== '' || (mode === 'auto' && size < FAST_FROM)) return null;
    if (!fast) fast = new FastChain(plan as FastStage[], samplers, getKernel(options.kernel ?? 'auto'), working(size));
    return fast;
  };
  let ownBuffer: Float32Array | undefined;
  let drawTable: DrawTable | undefined;

  const sampler: KnobsSampler = {
    name: 'chain',
    engine: profile,
    stages,
    generated,
    warnings,
    apply(nested, parentContext) {
      for (const stage of samplers) stage.apply(nested, parentContext);
    },
    distribution(logits, out, kept) {
      const size = logits.length;
      const target = out ?? new Float32Array(size);
      const chain = fastChain(size);
      if (chain && chain.distribution(logits, size, working(size), context, target, kept)) return target;
      const result = run(logits);
      result.writeDistribution(target);
      if (kept) {
        kept.fill(0);
        for (let i = 0; i < result.size; i++) kept[result.ids[i] as number] = 1;
      }
      return target;
    },
    sample(logits) {
      const size = logits.length;
      const chain = fastChain(size);
      if (chain) {
        const token = chain.sample(logits, size, working(size), context, rng);
        if (token !== FALL_BACK) return token;
      }
      return drawToken(run(logits), rng);
    },
    sampleMany(logits, n, counts) {
      checkInteger('n', n, 0);
      // A probe run on copies of the stages and the generator: a chain that draws inside (or
      // learns from its own draws, as adaptive-p does) is left as it was.
      const probeRng = rng.clone();
      const saved = probeRng.state();
      const result = working(logits.length);
      result.load(logits);
      const probeContext: SamplerContext = { ...context, rng: probeRng };
      for (const stage of samplers) (stage.clone?.() ?? stage).apply(result, probeContext);
      if (probeRng.state().some((word, i) => word !== saved[i])) {
        // A stage drew from the generator: runs differ, so each draw runs the chain.
        let first = -1;
        for (let draw = 0; draw < n; draw++) {
          const id = sampler.sample(logits);
          if (first < 0) first = id;
          counts[id] = (counts[id] as number) + 1;
        }
        return { first, fast: false };
      }
      if (result.size === 1) {
        const only = result.ids[0] as number;
        counts[only] = (counts[only] as number) + n;
        return { first: n > 0 ? only : -1, fast: true };
      }
      const table = (drawTable ??= new DrawTable());
      table.build(result);
      let first = -1;
      for (let draw = 0; draw < n; draw++) {
        const id = table.draw(rng.nextFloat());
        if (first < 0) first = id;
        counts[id] = (counts[id] as number) + 1;
      }
      return { first, fast: true };
    },
    inputBuffer(vocabSize) {
      checkInteger('vocabSize', vocabSize, 1);
      const chain = fastChain(mode === 'auto' ? Math.max(vocabSize, FAST_FROM) : vocabSize);
      if (!chain) {
        if (!ownBuffer || ownBuffer.length !== vocabSize) ownBuffer = new Float32Array(vocabSize);
        return ownBuffer;
      }
      if (!chain.ownsKernel) fast = chain.withOwnKernel(createKernel(options.kernel ?? 'auto'));
      const kernel = (fast as FastChain).kernel;
      kernel.reserve(vocabSize);
      return kernel.logits.subarray(0, vocabSize);
    },
    get fastPath() {
      return { enabled: reason === '', reason, stats: fast ? fast.stats : null };
    },
    accept(token) {
      checkInteger('token', token, 0);
      generated.push(token);
      for (const stage of samplers) stage.accept?.(token);
    },
    trace(logits) {
      const working = new Candidates(logits.length);
      working.load(logits);
      const snapshot = (name: string, parameters: Readonly<Record<string, unknown>>): StageResult => {
        const keptMask = new Uint8Array(logits.length);
        for (let i = 0; i < working.size; i++) keptMask[working.ids[i] as number] = 1;
        return { name, parameters, probs: working.writeDistribution(new Float32Array(logits.length)), kept: working.size, keptMask };
      };
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
  return sampler;
}
