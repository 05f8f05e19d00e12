import { entropy } from '../core/entropy.js';
import { KnobsError } from '../core/errors.js';
import { createSampler } from './chain.js';
import { ENGINE_NAMES, getProfile, type EngineName } from './profiles.js';
import { chainFromSettings, parseChain, type ChainSpec, type StageSpec } from './spec.js';

/** One engine's run of the comparison. */
export interface EngineRun {
  readonly engine: EngineName;
  /** The chain this engine ran (flag-style settings in its own default order). */
  readonly chain: ChainSpec | string;
  /** Stage names in the order applied. */
  readonly order: readonly string[];
  /** Final probability of every token id (0 = removed); absent when the engine rejected the chain. */
  readonly probs?: Float32Array;
  /** Tokens kept, from the chain's decision (a kept token may have probability 0), and which. */
  readonly kept?: number;
  readonly keptMask?: Uint8Array;
  readonly entropy?: number;
  /** Why the engine could not run the chain (unsupported sampler, value out of its range). */
  readonly error?: string;
  /** Knobs of the chain this engine accepts but ignores (`KnobsSampler.warnings`). */
  readonly warnings: readonly string[];
}

/** A token on which the engines that ran disagree. */
export interface TokenDifference {
  readonly id: number;
  /** Probability per engine (engines that failed are absent). */
  readonly probs: Readonly<Partial<Record<EngineName, number>>>;
  /** Kept by some engines and removed by others. */
  readonly keptDiffers: boolean;
}

/** The result of `compareEngines`. */
export interface EngineComparison {
  /** `settings`: each engine orders the flags by its default order; `chain`: one order for all. */
  readonly mode: 'settings' | 'chain';
  readonly runs: readonly EngineRun[];
  readonly differences: readonly TokenDifference[];
  /** Largest absolute probability difference between two engines on one token. */
  readonly maxGap: number;
}

/** Options of `compareEngines`. */
export interface CompareOptions {
  seed?: number;
  history?: readonly number[];
  prompt?: readonly number[];
  engines?: readonly EngineName[];
  /** Probability differences at most this large are not reported (default 1e-6). */
  tolerance?: number;
}

/**
 * Runs one distribution through each engine's chain side by side. With flag-style
 * `settings` (`{ top_k: 40, temperature: 0.8 }`) each engine applies them in its own default
 * order, as the engine would; with an explicit `chain` every engine uses that order and only
 * the semantics differ. An engine that rejects the chain gets `error` instead of results.
 *
 * @example
 * const c = compareEngines(logits, { settings: { top_k: 40, top_p: 0.95, min_p: 0.05, temperature: 0.8 } });
 * c.runs.map((run) => [run.engine, run.kept]); // llama.cpp cuts before temperature, hf and vllm after
 */
export function compareEngines(logits: Float32Array, spec: { settings: Record<string, StageSpec[string]> } | { chain: ChainSpec | string }, options: CompareOptions = {}): EngineComparison {
  const engines = options.engines ?? ENGINE_NAMES;
  const mode = 'settings' in spec ? 'settings' : 'chain';
  const runs: EngineRun[] = engines.map((engine) => {
    const chain = 'settings' in spec ? chainFromSettings(spec.settings, getProfile(engine).defaultOrder) : spec.chain;
    const order = parseChain(chain).map((stage) => stage.name);
    try {
      const sampler = createSampler(chain, { engine, seed: options.seed ?? 0, history: options.history ?? [], prompt: options.prompt ?? [] });
      const keptMask = new Uint8Array(logits.length);
      const probs = sampler.distribution(logits, undefined, keptMask);
      const kept = keptMask.reduce((count, k) => count + k, 0);
      return { engine, chain, order, probs, kept, keptMask, entropy: entropy(probs), warnings: sampler.warnings };
    } catch (error) {
      if (!(error instanceof KnobsError)) throw error;
      return { engine, chain, order, error: error.message, warnings: [] };
    }
  });
  const ran = runs.filter((run) => run.probs);
  const tolerance = options.tolerance ?? 1e-6;
  const differences: TokenDifference[] = [];
  let maxGap = 0;
  for (let id = 0; id < logits.length; id++) {
    let low = Infinity;
    let high = -Infinity;
    let keptBy = 0;
    for (const run of ran) {
      const p = run.probs?.[id] as number;
      low = Math.min(low, p);
      high = Math.max(high, p);
      if (run.keptMask?.[id] === 1) keptBy++;
    }
    if (ran.length < 2) break;
    maxGap = Math.max(maxGap, high - low);
    const keptDiffers = keptBy > 0 && keptBy < ran.length;
    if (high - low > tolerance || keptDiffers) {
      differences.push({ id, probs: Object.fromEntries(ran.map((run) => [run.engine, run.probs?.[id] as number])), keptDiffers });
    }
  }
  return { mode, runs, differences, maxGap };
}
