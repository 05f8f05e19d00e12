import { InvalidParameterError } from '../core/errors.js';
import type { TopKTies } from './topK.js';

/** The engines whose sampling semantics are available as profiles. */
export const ENGINE_NAMES = ['knobs', 'llama.cpp', 'hf', 'vllm'] as const;
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
  /** Default `last_n` (-1 = every token). */
  readonly defaultLastN: number;
  /** Tokens the multiplicative repetition penalty counts. */
  readonly repeatCounts: 'prompt+generated';
  /** Tokens the additive frequency and presence penalties count (`none`: not available). */
  readonly additiveCounts: 'prompt+generated' | 'generated' | 'none';
  /** Allowed range of frequency and presence, when the engine restricts them. */
  readonly additiveRange?: readonly [number, number];
  /** Arithmetic in float32 (llama.cpp, PyTorch). */
  readonly float32: boolean;
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
  /** Order in which flag-style settings (`--top-k 40 --temperature 0.8`) are applied. */
  readonly defaultOrder: readonly string[];
  /** Samplers the engine has; others are rejected under this profile. */
  readonly supported: readonly string[];
  /** What the engine does when nothing is set, as the engine documents it. */
  readonly engineDefaults: Readonly<Record<string, string>>;
  /** Defaults of secondary parameters (last_n, base, tau, ...) by sampler. */
  readonly parameterDefaults: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Top-k with ties at the k-th logit: exactly k tokens, or every tied token. */
  readonly topKTies: TopKTies;
  /** k < 0: disables top-k (llama.cpp, vLLM's -1) or is an error. */
  readonly topKNegative: 'disabled' | 'error';
  readonly topP: TopPRule;
  /** p = 0: keeps one token, or is rejected (vLLM: p in (0, 1]). */
  readonly topPZero: 'keep-one' | 'error';
  readonly minP: MinPRule;
  /** min_p > 1: keeps only the maximum (llama.cpp accepts it), or is rejected. */
  readonly minPAboveOne: 'keep-max' | 'error';
  readonly typical: TypicalRule;
  readonly temperature: TemperatureRule;
  readonly penalties: PenaltyRule;
  /** Default `min_keep` of top-p, min-p, typical-p, epsilon, eta, top-n-sigma, xtc. */
  readonly minKeep: number;
  /** logit_bias: values clamped to ±clamp (vLLM's OpenAI layer: 100), ids outside the vocabulary an error or ignored. */
  readonly logitBias: { readonly clamp: number; readonly outOfVocab: 'error' | 'ignore' };
}

const ALL = ['logit_bias', 'penalties', 'dry', 'no_repeat_ngram', 'top_n_sigma', 'top_k', 'top_p', 'min_p', 'typical_p', 'epsilon', 'eta', 'xtc', 'dynatemp', 'temperature', 'mirostat', 'greedy'];

const knobs: EngineProfile = {
  name: 'knobs',
  title: 'creativity-knobs',
  sources: ['this package: what a user expects, stated in each sampler file'],
  defaultOrder: ['logit_bias', 'penalties', 'dry', 'no_repeat_ngram', 'top_k', 'top_p', 'min_p', 'typical_p', 'top_n_sigma', 'epsilon', 'eta', 'xtc', 'dynatemp', 'temperature', 'mirostat', 'greedy'],
  supported: ALL,
  engineDefaults: { sampling: 'on', temperature: '1 (neutral)', top_k: '0 (off)', top_p: '1 (off)', min_p: '0 (off)', penalties: 'off' },
  parameterDefaults: {
    penalties: { last_n: -1 },
    dry: { base: 1.75, allowed_length: 2, last_n: -1, breakers: [] },
    xtc: { threshold: 0.1 },
    dynatemp: { range: 0, exponent: 1 },
    mirostat: { version: 2, tau: 5, eta: 0.1 },
  },
  topKTies: 'exact',
  topKNegative: 'error',
  topP: 'prefix',
  topPZero: 'keep-one',
  minP: 'logit',
  minPAboveOne: 'error',
  typical: 'inclusive',
  temperature: { zero: 'greedy', negative: 'error', greedyBelow: 0, floor: 0, float32: false },
  penalties: { window: true, defaultLastN: -1, repeatCounts: 'prompt+generated', additiveCounts: 'prompt+generated', float32: false },
  minKeep: 1,
  logitBias: { clamp: Infinity, outOfVocab: 'error' },
};

const llamaCpp: EngineProfile = {
  name: 'llama.cpp',
  title: 'llama.cpp',
  sources: ['ggml-org/llama.cpp src/llama-sampling.cpp', 'common/sampling.cpp (common_sampler_init)', 'common/common.h (common_params_sampling)', 'tools/server (prompt tokens are accepted into the sampler)'],
  defaultOrder: ['logit_bias', 'penalties', 'dry', 'top_n_sigma', 'top_k', 'typical_p', 'top_p', 'min_p', 'xtc', 'dynatemp', 'temperature', 'mirostat', 'greedy'],
  supported: ['logit_bias', 'penalties', 'dry', 'top_n_sigma', 'top_k', 'typical_p', 'top_p', 'min_p', 'xtc', 'dynatemp', 'temperature', 'mirostat', 'greedy'],
  engineDefaults: { sampling: 'on', temperature: '0.8', top_k: '40', top_p: '0.95', min_p: '0.05', penalties: 'repeat 1.0, last_n 64' },
  parameterDefaults: {
    penalties: { last_n: 64 },
    dry: { base: 1.75, allowed_length: 2, last_n: -1, breakers: [] },
    xtc: { threshold: 0.1 },
    dynatemp: { range: 0, exponent: 1 },
    mirostat: { version: 2, tau: 5, eta: 0.1 },
  },
  topKTies: 'exact',
  topKNegative: 'disabled',
  topP: 'prefix-float32',
  topPZero: 'keep-one',
  minP: 'logit-float32',
  minPAboveOne: 'keep-max',
  typical: 'strict-float32',
  temperature: { zero: 'greedy', negative: 'greedy', greedyBelow: 0, floor: 0, float32: true },
  penalties: { window: true, defaultLastN: 64, repeatCounts: 'prompt+generated', additiveCounts: 'prompt+generated', float32: true },
  minKeep: 0,
  logitBias: { clamp: Infinity, outOfVocab: 'ignore' },
};

const hf: EngineProfile = {
  name: 'hf',
  title: 'Hugging Face transformers',
  sources: ['huggingface/transformers src/transformers/generation/logits_process.py', 'generation/utils.py (_get_logits_processor)', 'generation/configuration_utils.py (GenerationConfig)'],
  defaultOrder: ['logit_bias', 'penalties', 'no_repeat_ngram', 'temperature', 'top_k', 'top_p', 'min_p', 'typical_p', 'epsilon', 'eta', 'greedy'],
  supported: ['logit_bias', 'penalties', 'no_repeat_ngram', 'temperature', 'top_k', 'top_p', 'min_p', 'typical_p', 'epsilon', 'eta', 'greedy'],
  engineDefaults: { sampling: 'off (do_sample=False: greedy)', temperature: '1.0', top_k: '50', top_p: '1.0', min_p: 'None (off)', penalties: 'repetition_penalty 1.0' },
  parameterDefaults: { penalties: { last_n: -1 } },
  topKTies: 'keep-ties',
  topKNegative: 'error',
  topP: 'suffix-float32',
  topPZero: 'keep-one',
  minP: 'probability-float32',
  minPAboveOne: 'error',
  typical: 'inclusive-keep-ties',
  temperature: { zero: 'error', negative: 'error', greedyBelow: 0, floor: 0, float32: true },
  penalties: { window: false, defaultLastN: -1, repeatCounts: 'prompt+generated', additiveCounts: 'none', float32: true },
  minKeep: 1,
  logitBias: { clamp: Infinity, outOfVocab: 'error' },
};

const vllm: EngineProfile = {
  name: 'vllm',
  title: 'vLLM',
  sources: ['vllm-project/vllm vllm/sampling_params.py', 'vllm/v1/sample/sampler.py', 'vllm/v1/sample/ops/topk_topp_sampler.py (apply_top_k_top_p_pytorch)', 'vllm/model_executor/layers/utils.py (apply_penalties)', 'v1 MinPLogitsProcessor'],
  defaultOrder: ['logit_bias', 'penalties', 'temperature', 'min_p', 'top_k', 'top_p', 'greedy'],
  supported: ['logit_bias', 'penalties', 'temperature', 'min_p', 'top_k', 'top_p', 'greedy'],
  engineDefaults: { sampling: 'on', temperature: '1.0', top_k: '0 (off)', top_p: '1.0', min_p: '0.0', penalties: 'off' },
  parameterDefaults: { penalties: { last_n: -1 } },
  topKTies: 'keep-ties',
  topKNegative: 'disabled',
  topP: 'suffix-float32',
  topPZero: 'error',
  minP: 'probability-float32',
  minPAboveOne: 'error',
  typical: 'inclusive',
  temperature: { zero: 'greedy', negative: 'error', greedyBelow: 1e-5, floor: 1e-2, float32: true },
  penalties: { window: false, defaultLastN: -1, repeatCounts: 'prompt+generated', additiveCounts: 'generated', additiveRange: [-2, 2], float32: true },
  minKeep: 1,
  logitBias: { clamp: 100, outOfVocab: 'error' },
};

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
