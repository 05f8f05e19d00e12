import { InvalidParameterError } from '../core/errors.js';
import { samplerDefinitions } from './registry.js';
import type { StageSpec } from './spec.js';
import type { TopKTies } from './topK.js';

/** The engines whose sampling semantics are available as profiles. */
export const ENGINE_NAMES = ['knobs', 'llama.cpp', 'hf', 'vllm'] as const;
/** The name of an engine profile (`--engine NAME`): one of `ENGINE_NAMES`. */
export type EngineName = (typeof ENGINE_NAMES)[number];

/**
 * Top-p rule. `prefix`: smallest prefix of the tokens by probability descending (ties by
 * lower id) whose cumulative sum reaches p, in float64. `prefix-float32`: the same with
 * llama.cpp's float32 softmax and running sum, compared with `(float) p`. `suffix-float32`:
 * PyTorch's formulation in transformers and vLLM: sort ascending (stable), remove every
 * token whose ascending cumulative probability is `<= 1 - p` (float32), keep the last
 * `min_keep`; equal to `prefix` except at exact boundaries and in ties, where the higher ids
 * survive (they sort last).
 */
export type TopPRule = 'prefix' | 'prefix-float32' | 'suffix-float32';
/** Min-p rule: on logits (`logit >= max + ln p`, float64 or float32) or on float32 probabilities (`p_i >= p · p_max`). */
export type MinPRule = 'logit' | 'logit-float32' | 'probability-float32';
/**
 * Typical-p rule. `inclusive`: the most typical tokens until their mass reaches p (`>=`),
 * ties by higher probability then lower id. `strict-float32`: llama.cpp, until the mass
 * exceeds p (`>`), float32. `inclusive-keep-ties`: transformers, the crossing token and every
 * token as typical as it (equal shifted score) are kept.
 */
export type TypicalRule = 'inclusive' | 'strict-float32' | 'inclusive-keep-ties';

/** What an engine does with temperature. */
export interface TemperatureRule {
  /** t = 0: `greedy` keeps the first maximum; `error` rejects it (transformers). */
  readonly zero: 'greedy' | 'error';
  /** t < 0: `greedy` like 0 (llama.cpp), or `error`. */
  readonly negative: 'greedy' | 'error';
  /** Temperatures below this are greedy too (vLLM's `_SAMPLING_EPS` = 1e-5). */
  readonly greedyBelow: number;
  /** Positive temperatures below this are raised to it (vLLM's `_MAX_TEMP` = 0.01). */
  readonly floor: number;
  /** Divide logits in float32 (`(float) l / (float) t`) rather than multiply by 1/t. */
  readonly float32: boolean;
}

/** Which past tokens the penalties count, and how. */
export interface PenaltyRule {
  /** `last_n` is honoured (a window over prompt + generated), or the engine has no window. */
  readonly window: boolean;
  /** Tokens the multiplicative repetition penalty counts. */
  readonly repeatCounts: 'prompt+generated';
  /** Tokens the additive frequency and presence penalties count (`none`: not available). */
  readonly additiveCounts: 'prompt+generated' | 'generated' | 'none';
  /** Allowed range of frequency and presence, when the engine restricts them. */
  readonly additiveRange?: readonly [number, number];
  /** Arithmetic in float32 (llama.cpp, PyTorch). */
  readonly float32: boolean;
  /**
   * Which logits the repetition penalty multiplies (the rest it divides): `logit <= 0`
   * (llama.cpp, vLLM's `logits > 0` divides) or `logit < 0` (transformers' `torch.where(score < 0, ...)`).
   * The two differ only for -0 vs 0 and document the engines' code.
   */
  readonly repeatSign: 'multiply-at-or-below-zero' | 'multiply-below-zero';
  /** How a positive logit is divided: `l / repeat`, or `l * fl32(1 / repeat)` (vLLM multiplies by the reciprocal tensor). */
  readonly repeatDivision: 'divide' | 'reciprocal-float32';
  /**
   * `combined`: `l -= fl(fl(count · frequency) + presence)` when count > 0 (llama.cpp);
   * `separate`: `l -= fl(frequency · count)`, then `l -= presence` when count > 0 (vLLM).
   */
  readonly additive: 'combined' | 'separate';
}

/** Top-nσ's arithmetic and its n <= 0. */
export interface TopNSigmaRule {
  /** float32 mean, variance and threshold (llama.cpp). */
  readonly float32: boolean;
  /** n < 0: `disabled` (llama.cpp: n <= 0 returns) or `error` (knobs: n >= 0, 0 disables). */
  readonly negative: 'disabled' | 'error';
}

/**
 * An engine's sampling semantics where engines differ. Every difference lives in this one
 * table, readable at a glance (transformers' single ordering function, as a table).
 * `knobs engines` prints the rows that differ.
 */
export interface EngineProfile {
  readonly name: EngineName;
  readonly title: string;
  /** The engine files these semantics were read from. */
  readonly sources: readonly string[];
  /**
   * Order in which flag-style settings (`--top-k 40 --temperature 0.8`) are applied: the
   * samplers this engine has, by the rank each sampler's definition gives for it.
   */
  readonly defaultOrder: readonly string[];
  /** Samplers the engine has (from the samplers' definitions); others are rejected under this profile. */
  readonly supported: readonly string[];
  /** Whether the engine samples when nothing is set (transformers: greedy unless `do_sample=True`). */
  readonly samplingByDefault: string;
  /** Top-k with ties at the k-th logit: exactly k tokens, or every tied token. */
  readonly topKTies: TopKTies;
  /** k < 0: disables top-k (llama.cpp, vLLM's -1) or is an error. */
  readonly topKNegative: 'disabled' | 'error';
  readonly topP: TopPRule;
  /** p = 0: keeps one token, or is rejected (vLLM: p in (0, 1]). */
  readonly topPZero: 'keep-one' | 'error';
  /** `suffix-float32`'s `1 - p`: the float64 value rounded to float32 (transformers), or computed in float32 (vLLM's tensor). */
  readonly topPComplement: 'float64' | 'float32';
  readonly minP: MinPRule;
  /** min_p > 1: keeps only the maximum (llama.cpp accepts it), or is rejected. */
  readonly minPAboveOne: 'keep-max' | 'error';
  readonly typical: TypicalRule;
  readonly topNSigma: TopNSigmaRule;
  /** Epsilon and eta compare float32 probabilities (transformers). */
  readonly cutoffFloat32: boolean;
  readonly temperature: TemperatureRule;
  readonly penalties: PenaltyRule;
  /** Default `min_keep` of top-p, min-p, typical-p, epsilon, eta, top-n-sigma, xtc. */
  readonly minKeep: number;
  /** logit_bias: values clamped to ±clamp (vLLM's OpenAI layer: 100), ids outside the vocabulary an error or ignored. */
  readonly logitBias: { readonly clamp: number; readonly outOfVocab: 'error' | 'ignore' };
}

/** A profile's own fields; `supported` and `defaultOrder` are derived from the sampler definitions. */
type ProfileRules = Omit<EngineProfile, 'supported' | 'defaultOrder'>;

/** Adds the derived fields, read from the registered definitions each time (plug-ins appear at once). */
function withDerivedFields(rules: ProfileRules): EngineProfile {
  const ranked = (): { name: string; order: number }[] =>
    samplerDefinitions()
      .flatMap((definition) => {
        const entry = definition.engines[rules.name];
        return entry ? [{ name: definition.name, order: entry.order }] : [];
      })
      .sort((a, b) => a.order - b.order);
  return Object.defineProperties({ ...rules } as EngineProfile, {
    supported: { get: () => ranked().map((entry) => entry.name), enumerable: true },
    defaultOrder: { get: () => ranked().map((entry) => entry.name), enumerable: true },
  });
}

const knobs = withDerivedFields({
  name: 'knobs',
  title: 'creativity-knobs',
  sources: ['this package: what a user expects, stated in each sampler file'],
  samplingByDefault: 'on',
  topKTies: 'exact',
  topKNegative: 'error',
  topP: 'prefix',
  topPZero: 'keep-one',
  topPComplement: 'float64',
  minP: 'logit',
  minPAboveOne: 'error',
  typical: 'inclusive',
  topNSigma: { float32: false, negative: 'error' },
  cutoffFloat32: false,
  temperature: { zero: 'greedy', negative: 'error', greedyBelow: 0, floor: 0, float32: false },
  penalties: { window: true, repeatCounts: 'prompt+generated', additiveCounts: 'prompt+generated', float32: false, repeatSign: 'multiply-at-or-below-zero', repeatDivision: 'divide', additive: 'combined' },
  minKeep: 1,
  logitBias: { clamp: Infinity, outOfVocab: 'error' },
});

const llamaCpp = withDerivedFields({
  name: 'llama.cpp',
  title: 'llama.cpp',
  sources: ['ggml-org/llama.cpp src/llama-sampling.cpp', 'common/sampling.cpp (common_sampler_init)', 'common/common.h (common_params_sampling)', 'tools/server (prompt tokens are accepted into the sampler)'],
  samplingByDefault: 'on',
  topKTies: 'exact',
  topKNegative: 'disabled',
  topP: 'prefix-float32',
  topPZero: 'keep-one',
  topPComplement: 'float64',
  minP: 'logit-float32',
  minPAboveOne: 'keep-max',
  typical: 'strict-float32',
  topNSigma: { float32: true, negative: 'disabled' },
  cutoffFloat32: false,
  temperature: { zero: 'greedy', negative: 'greedy', greedyBelow: 0, floor: 0, float32: true },
  penalties: { window: true, repeatCounts: 'prompt+generated', additiveCounts: 'prompt+generated', float32: true, repeatSign: 'multiply-at-or-below-zero', repeatDivision: 'divide', additive: 'combined' },
  minKeep: 0,
  logitBias: { clamp: Infinity, outOfVocab: 'ignore' },
});

const hf = withDerivedFields({
  name: 'hf',
  title: 'Hugging Face transformers',
  sources: ['huggingface/transformers src/transformers/generation/logits_process.py', 'generation/utils.py (_get_logits_processor)', 'generation/configuration_utils.py (GenerationConfig)'],
  samplingByDefault: 'off (do_sample=False: greedy)',
  topKTies: 'keep-ties',
  topKNegative: 'error',
  topP: 'suffix-float32',
  topPZero: 'keep-one',
  topPComplement: 'float64',
  minP: 'probability-float32',
  minPAboveOne: 'error',
  typical: 'inclusive-keep-ties',
  topNSigma: { float32: false, negative: 'error' },
  cutoffFloat32: true,
  temperature: { zero: 'error', negative: 'error', greedyBelow: 0, floor: 0, float32: true },
  penalties: { window: false, repeatCounts: 'prompt+generated', additiveCounts: 'none', float32: true, repeatSign: 'multiply-below-zero', repeatDivision: 'divide', additive: 'combined' },
  minKeep: 1,
  logitBias: { clamp: Infinity, outOfVocab: 'error' },
});

const vllm = withDerivedFields({
  name: 'vllm',
  title: 'vLLM',
  sources: ['vllm-project/vllm vllm/sampling_params.py', 'vllm/v1/sample/sampler.py', 'vllm/v1/sample/ops/topk_topp_sampler.py (apply_top_k_top_p_pytorch)', 'vllm/model_executor/layers/utils.py (apply_penalties)', 'v1 MinPLogitsProcessor'],
  samplingByDefault: 'on',
  topKTies: 'keep-ties',
  topKNegative: 'disabled',
  topP: 'suffix-float32',
  topPZero: 'error',
  topPComplement: 'float32',
  minP: 'probability-float32',
  minPAboveOne: 'error',
  typical: 'inclusive',
  topNSigma: { float32: false, negative: 'error' },
  cutoffFloat32: false,
  temperature: { zero: 'greedy', negative: 'error', greedyBelow: 1e-5, floor: 1e-2, float32: true },
  penalties: { window: false, repeatCounts: 'prompt+generated', additiveCounts: 'generated', additiveRange: [-2, 2], float32: true, repeatSign: 'multiply-at-or-below-zero', repeatDivision: 'reciprocal-float32', additive: 'separate' },
  minKeep: 1,
  logitBias: { clamp: 100, outOfVocab: 'error' },
});

const PROFILES: Readonly<Record<EngineName, EngineProfile>> = { knobs, 'llama.cpp': llamaCpp, hf, vllm };

/**
 * The profile of an engine by name.
 *
 * @example
 * getProfile('hf').topKTies; // 'keep-ties'
 */
export function getProfile(name: string): EngineProfile {
  const profile = (PROFILES as Record<string, EngineProfile | undefined>)[name];
  if (!profile) throw new InvalidParameterError('engine', name, `one of ${ENGINE_NAMES.join(', ')}`);
  return profile;
}

/** Every profile, in `ENGINE_NAMES` order. */
export function listProfiles(): readonly EngineProfile[] {
  return ENGINE_NAMES.map((name) => PROFILES[name]);
}

/**
 * What an engine applies when nothing is set, as a chain in its default order: each
 * sampler's `preset` for this engine (llama.cpp: penalties, DRY and XTC off, top_k 40,
 * typical_p 1, top_p 0.95, min_p 0.05, temperature 0.8).
 *
 * @example
 * engineDefaultChain(getProfile('hf')); // [{ temperature: 1 }, { top_k: 50 }, { top_p: 1 }]
 */
export function engineDefaultChain(profile: EngineProfile): StageSpec[] {
  const byName = new Map(samplerDefinitions().map((definition) => [definition.name, definition]));
  return profile.defaultOrder.flatMap((name) => {
    const preset = byName.get(name)?.engines[profile.name]?.preset;
    return preset === undefined ? [] : [{ [name]: preset as StageSpec[string] }];
  });
}
