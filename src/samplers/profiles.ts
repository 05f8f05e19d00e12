import { InvalidParameterError } from '../core/errors.js';
import { samplerDefinitions } from './registry.js';
import type { ParsedStage, StageSpec } from './spec.js';
import type { TopKTies } from './topK.js';

/**
 * The engines whose sampling semantics are available as profiles. `ollama` is current
 * Ollama (GGUF models through llama.cpp's server); `ollama-go` is the Go sampler Ollama ran
 * until it was deleted on 2026-05-29. exllamav3 (today's TabbyAPI) is not a profile.
 */
import { ENGINE_NAMES, type EngineName } from './engineNames.js';

export { ENGINE_NAMES, type EngineName };

/**
 * Top-p rule. `prefix`: smallest prefix of the tokens by probability descending (ties by
 * lower id) whose cumulative sum reaches p, in float64. `prefix-float32`: the same with
 * llama.cpp's float32 softmax and running sum, compared with `(float) p`. `suffix-float32`:
 * PyTorch's formulation in transformers and vLLM: sort ascending (stable), remove every
 * token whose ascending cumulative probability is `<= 1 - p` (float32), keep the last
 * `min_keep`; equal to `prefix` except at exact boundaries and in ties, where the higher ids
 * survive (they sort last). `prefix-strict-float32` (Ollama's Go sampler): float32 running
 * sum, keep through the first token where the sum is `> p` (strict). `exclusive-float32`
 * (SGLang): keep a token while the float32 mass of the tokens before it is `<= p`.
 * `under-p-float32` (exllamav2 `top_p_cpu`): tokens under 1e-6 are dropped; the others are
 * walked in array order (id order, or descending after its top-k) onto a min-heap whose
 * smallest entries are popped while the float32 sum exceeds p: a token that would cross p
 * is dropped and smaller ones after it may still fit (at least one kept; among equal
 * probabilities the higher ids stay).
 */
export type TopPRule = 'prefix' | 'prefix-float32' | 'suffix-float32' | 'prefix-strict-float32' | 'exclusive-float32' | 'under-p-float32';
/** Min-p rule: on logits (`logit >= max + ln p`, float64 or float32) or on float32 probabilities (`p_i >= p · p_max`). */
export type MinPRule = 'logit' | 'logit-float32' | 'probability-float32';
/**
 * Typical-p rule. `inclusive`: the most typical tokens until their mass reaches p (`>=`),
 * ties by higher probability then lower id. `strict-float32`: llama.cpp, until the mass
 * exceeds p (`>`), float32. `inclusive-keep-ties`: transformers, the crossing token and every
 * token as typical as it (equal shifted score) are kept. `exllamav2`: tokens under 1e-8
 * dropped, the "log-probability" is `p + ln(p + 1e-10)`, and the tokens *before* the one
 * whose mass reaches p are kept (at least one).
 */
export type TypicalRule = 'inclusive' | 'strict-float32' | 'inclusive-keep-ties' | 'exllamav2';
/**
 * Tail-free sampling rule (`tfs.ts`). `exact`: float64, keep the tokens before the first
 * whose cumulative normalised |second difference| exceeds z; flat tails keep everything.
 * `llama.cpp-float32` (llama.cpp before PR #10071, koboldcpp): the same in float32 with the
 * `min_keep` skip and the uniform weights when the differences sum to <= 1e-6.
 * `exllamav2-float32`: one token more, tokens under 1e-8 dropped first, flat tails drop the last.
 */
export type TfsRule = 'exact' | 'llama.cpp-float32' | 'exllamav2-float32';
/**
 * Smoothing ("quadratic sampling", `smoothing.ts`). `exact`: float64, curve in [1, 3] (the
 * monotonic range). `float32-any-curve` (koboldcpp): float32, any curve. `float32-no-curve`
 * (exllamav2): no curve parameter (1 only).
 */
export type SmoothingRule = 'exact' | 'float32-any-curve' | 'float32-no-curve';

/** Adaptive-p's variant in one engine (`adaptiveP.ts`). */
export interface AdaptivePRule {
  /** Off (a plain draw) when the target is `< 0` (llama.cpp) or `<= 0` (koboldcpp). */
  readonly off: 'negative' | 'non-positive';
  /** Decay outside `decayRange`: rejected (knobs) or clamped silently. */
  readonly decay: 'error' | 'clamp';
  readonly decayRange: readonly [number, number];
  /** The running average learns on `accept` (llama.cpp) or right after its own draw (koboldcpp). */
  readonly update: 'accept' | 'immediate';
  /** The target is clamped to [0, 1] before `2·target − average` (llama.cpp), or not (koboldcpp). */
  readonly clampTarget: boolean;
  readonly float32: boolean;
}

/** What an engine does with temperature. */
export interface TemperatureRule {
  /** t = 0: `greedy` keeps the first maximum; `error` rejects it (transformers). */
  readonly zero: 'greedy' | 'error';
  /** t < 0: `greedy` like 0 (llama.cpp), `error`, or `flip`: the logits are divided by it (transformers.js). */
  readonly negative: 'greedy' | 'error' | 'flip';
  /** Temperatures below this are greedy too (vLLM's `_SAMPLING_EPS` = 1e-5). */
  readonly greedyBelow: number;
  /** Positive temperatures below this are raised to it (vLLM's `_MAX_TEMP` = 0.01). */
  readonly floor: number;
  /** Divide logits in float32 (`(float) l / (float) t`) rather than multiply by 1/t. */
  readonly float32: boolean;
}

/** Which past tokens the penalties count, and how. */
export interface PenaltyRule {
  /** `last_n` is honoured (a window over the counted tokens), or the engine has no window. */
  readonly window: boolean;
  /** Tokens the multiplicative repetition penalty counts (`generated`: node-llama-cpp counts only this response). */
  readonly repeatCounts: 'prompt+generated' | 'generated';
  /** Tokens the additive frequency and presence penalties count (`none`: not available). */
  readonly additiveCounts: 'prompt+generated' | 'generated' | 'none';
  /** Allowed range of frequency and presence, when the engine restricts them. */
  readonly additiveRange?: readonly [number, number];
  /** Only the presence penalty exists (koboldcpp): a frequency penalty is rejected. */
  readonly presenceOnly?: boolean;
  /** Allowed range of the repetition penalty, when the engine restricts it (SGLang: (0, 2]). */
  readonly repeatMax?: number;
  /**
   * The window is a buffer pre-filled with token 0 (koboldcpp's `last_n_tokens`): while the
   * context is shorter than `last_n`, token 0 counts as seen.
   */
  readonly zeroFilledWindow?: boolean;
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

/** Which history bad words match, and what the engine drops (`badWords.ts`). */
export interface BadWordsRule {
  /** vLLM matches the generated tokens only; transformers the whole `input_ids` (prompt included). */
  readonly history: 'generated' | 'prompt+generated';
  /** A sequence equal to `[eos]` is dropped (transformers' `NoBadWordsLogitsProcessor`). */
  readonly dropEos: boolean;
  /**
   * A word is skipped when its prefix is longer than the history (`prefix-longer`: vLLM,
   * transformers.js) or when the word itself is longer than it (`word-longer`: transformers).
   */
  readonly skipWhen: 'prefix-longer' | 'word-longer';
}

/**
 * An engine's sampling semantics where engines differ. Every difference lives in this one
 * table, readable at a glance (transformers' single ordering function, as a table).
 * `knobs engines` prints the rows that differ.
 */
export interface EngineProfile {
  readonly name: EngineName;
  readonly title: string;
  /** The engine files these semantics were read from (repository, file, commit). */
  readonly sources: readonly string[];
  /** How the rules were established: read from the source only, or also run (and which runs). */
  readonly verified: string;
  /** What the profile does not model, and how the engine's API differs from its sampler. */
  readonly caveats: readonly string[];
  /**
   * Order in which flag-style settings (`--top-k 40 --temperature 0.8`) are applied: the
   * samplers this engine has, by the rank each sampler's definition gives for it.
   */
  readonly defaultOrder: readonly string[];
  /** Samplers the engine has (from the samplers' definitions); others are rejected under this profile. */
  readonly supported: readonly string[];
  /**
   * Knobs the engine accepts but does not apply: a sampler name (`top_p`) or one parameter
   * (`penalties.repeat`) → why. `createSampler` builds a no-op stage for them and reports a
   * warning; a knob the engine lacks altogether is an error instead.
   */
  readonly ignored: Readonly<Record<string, string>>;
  /** Whether the engine samples when nothing is set (transformers: greedy unless `do_sample=True`). */
  readonly samplingByDefault: string;
  /** Top-k with ties at the k-th logit: exactly k tokens, or every tied token. */
  readonly topKTies: TopKTies;
  /** k < 0: disables top-k (llama.cpp, vLLM's -1) or is an error; `minus-one-only`: -1 disables, 0 and other negatives are errors (SGLang). */
  readonly topKNegative: 'disabled' | 'error' | 'minus-one-only';
  /**
   * Top-k and top-p together: `sequential` (top-p on the renormalised top-k), or
   * `joint-unless-min-p` (SGLang: both cut the same distribution — top-p's mass counts every
   * token — unless a min-p is set, when it is sequential). Joint is run as top-p then top-k.
   */
  readonly topKTopP: 'sequential' | 'joint-unless-min-p';
  /** An unconditional top-k the engine runs after logit bias and DRY (koboldcpp: 3000); 0: none. */
  readonly prefilterTopK: number;
  readonly topP: TopPRule;
  /** p = 0: keeps one token, is rejected (vLLM: p in (0, 1]), or disables top-p (exllamav2). */
  readonly topPZero: 'keep-one' | 'error' | 'disabled';
  /** `suffix-float32`'s `1 - p`: the float64 value rounded to float32 (transformers), or computed in float32 (vLLM's tensor). */
  readonly topPComplement: 'float64' | 'float32';
  readonly minP: MinPRule;
  /** min_p > 1: keeps only the maximum (llama.cpp accepts it), is rejected, or (exllamav2: min_p >= 1) is ignored. */
  readonly minPAboveOne: 'keep-max' | 'error' | 'ignored';
  readonly typical: TypicalRule;
  readonly topNSigma: TopNSigmaRule;
  /** Epsilon and eta compare float32 probabilities (transformers). */
  readonly cutoffFloat32: boolean;
  readonly temperature: TemperatureRule;
  readonly penalties: PenaltyRule;
  /** Default `min_keep` of top-p, min-p, typical-p, epsilon, eta, top-n-sigma, xtc, top-a, tfs. */
  readonly minKeep: number;
  /** logit_bias: values clamped to ±clamp (vLLM's OpenAI layer: 100), ids outside the vocabulary an error or ignored. */
  readonly logitBias: { readonly clamp: number; readonly outOfVocab: 'error' | 'ignore' };
  /** XTC removes the top choices (llama.cpp), or subtracts 999 from their logits so they stay candidates (koboldcpp). */
  readonly xtcRemoval: 'remove' | 'subtract-999';
  /** Top-h (`topH.ts`): float64 (knobs) or the engine's float32 arithmetic (transformers). */
  readonly topH: 'exact' | 'float32';
  /** Top-a (`topA.ts`): float64 or float32 probabilities. */
  readonly topA: 'exact' | 'float32';
  readonly tfs: TfsRule;
  readonly smoothing: SmoothingRule;
  readonly adaptiveP: AdaptivePRule;
  /** Skew's scaling of the uniform draw (exllamav2: 0.9998, "to account for FP32 rounding"); 1: none. */
  readonly skewScale: number;
  /** How min_tokens masks stop ids: removes them (`-inf`) or sets their logit to -1e30 (exllamav2). */
  readonly minTokensMask: 'remove' | 'logit-1e30';
  readonly badWords: BadWordsRule;
  /** allowed_tokens with an empty list: allows every token, or is rejected (vLLM). */
  readonly allowedTokensEmpty: 'allow-all' | 'error';
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

/** The rules of the samplers an engine does not have: never read (the sampler is rejected first), listed so every profile has every field. */
const ABSENT = {
  topH: 'float32',
  topA: 'float32',
  tfs: 'llama.cpp-float32',
  smoothing: 'float32-any-curve',
  skewScale: 1,
  minTokensMask: 'remove',
  badWords: { history: 'generated', dropEos: false, skipWhen: 'prefix-longer' },
  allowedTokensEmpty: 'allow-all',
} as const;

const LLAMA_CPP_ADAPTIVE_P: AdaptivePRule = { off: 'negative', decay: 'clamp', decayRange: [0, 0.99], update: 'accept', clampTarget: true, float32: true };

const knobs = withDerivedFields({
  name: 'knobs',
  title: 'creativity-knobs',
  sources: ['this package: what a user expects, stated in each sampler file'],
  verified: 'ours: hand-computed tests beside each sampler',
  caveats: [],
  ignored: {},
  samplingByDefault: 'on',
  topKTies: 'exact',
  topKNegative: 'error',
  topKTopP: 'sequential',
  prefilterTopK: 0,
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
  xtcRemoval: 'remove',
  topH: 'exact',
  topA: 'exact',
  tfs: 'exact',
  smoothing: 'exact',
  adaptiveP: { off: 'negative', decay: 'error', decayRange: [0, 0.99], update: 'accept', clampTarget: true, float32: false },
  skewScale: 1,
  minTokensMask: 'remove',
  badWords: { history: 'generated', dropEos: false, skipWhen: 'prefix-longer' },
  allowedTokensEmpty: 'allow-all',
});

const llamaCpp = withDerivedFields({
  name: 'llama.cpp',
  title: 'llama.cpp',
  sources: [
    'ggml-org/llama.cpp src/llama-sampler.cpp (formerly llama-sampling.cpp; adaptive-p of PR #17927 read @00efb3e1)',
    'common/sampling.cpp (common_sampler_init)',
    'common/common.h (common_params_sampling)',
    'tools/server (prompt tokens are accepted into the sampler)',
  ],
  verified: 'read, not run; its tests in test/conformance/llama.cpp.json',
  caveats: ['tail-free sampling was removed in PR #10071 (2024-10-29): tfs is koboldcpp\'s now', 'adaptive_p, when listed, is always appended last (in place of dist)'],
  ignored: {},
  samplingByDefault: 'on',
  topKTies: 'exact',
  topKNegative: 'disabled',
  topKTopP: 'sequential',
  prefilterTopK: 0,
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
  xtcRemoval: 'remove',
  ...ABSENT,
  adaptiveP: LLAMA_CPP_ADAPTIVE_P,
});

const hf = withDerivedFields({
  name: 'hf',
  title: 'Hugging Face transformers',
  sources: [
    'huggingface/transformers src/transformers/generation/logits_process.py (TopHLogitsWarper, MinNewTokensLengthLogitsProcessor, NoBadWordsLogitsProcessor @00857b6c)',
    'generation/utils.py (_get_logits_processor)',
    'generation/configuration_utils.py (GenerationConfig)',
  ],
  verified: 'read, not run; its tests in test/conformance/transformers*.json',
  caveats: ['top_h keeps at most the 100 most likely tokens, even at h = 1', 'min_new_tokens masks the EOS ids only (give them as min_tokens.stop)'],
  ignored: {},
  samplingByDefault: 'off (do_sample=False: greedy)',
  topKTies: 'keep-ties',
  topKNegative: 'error',
  topKTopP: 'sequential',
  prefilterTopK: 0,
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
  xtcRemoval: 'remove',
  ...ABSENT,
  topH: 'float32',
  adaptiveP: LLAMA_CPP_ADAPTIVE_P,
  badWords: { history: 'prompt+generated', dropEos: true, skipWhen: 'word-longer' },
});

const vllm = withDerivedFields({
  name: 'vllm',
  title: 'vLLM',
  sources: [
    'vllm-project/vllm vllm/sampling_params.py',
    'vllm/v1/sample/sampler.py (@3e342658: allowed ids, bad words, then logits processors)',
    'vllm/v1/sample/ops/topk_topp_sampler.py (apply_top_k_top_p_pytorch)',
    'vllm/v1/sample/ops/bad_words.py (@c45614b5)',
    'vllm/v1/sample/logits_processor/builtin.py (MinTokensLogitsProcessor @0272a72c, MinPLogitsProcessor)',
    'vllm/model_executor/layers/utils.py (apply_penalties)',
  ],
  verified: 'read, not run; its tests in test/conformance/vllm*.json',
  caveats: ['min_tokens also masks the model\'s EOS ids (knobs serve adds them); stop strings are not masked', 'bad_words strings become one or two token sequences (with and without a leading space)'],
  ignored: {},
  samplingByDefault: 'on',
  topKTies: 'keep-ties',
  topKNegative: 'disabled',
  topKTopP: 'sequential',
  prefilterTopK: 0,
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
  xtcRemoval: 'remove',
  ...ABSENT,
  adaptiveP: LLAMA_CPP_ADAPTIVE_P,
  badWords: { history: 'generated', dropEos: false, skipWhen: 'prefix-longer' },
  allowedTokensEmpty: 'error',
});

const sglang = withDerivedFields({
  name: 'sglang',
  title: 'SGLang',
  sources: [
    'sgl-project/sglang python/sglang/srt/sampling/sampling_params.py @00c17caf (validation, defaults)',
    'python/sglang/srt/sampling/sampling_batch_info.py @dd99fb90 (penalizers → logit_bias; registered penalizers)',
    'python/sglang/srt/layers/sampler.py @584f55d1 and its 2026 version (top-k/top-p joint, min-p sequential)',
    'python/sglang/srt/sampling/penaltylib/{frequency,presence}_penalty.py, min_new_tokens.py @2aa1ac73',
    'python/sglang/srt/entrypoints/openai/protocol.py @004c82e0',
  ],
  verified: 'read (several commits), not run; its tests in test/conformance/sglang*.json',
  caveats: [
    'top-k and top-p are joint (top-p mass over the whole distribution) unless any request of the batch sets min-p; run here as top-p then top-k when no min_p stage is present',
    'the top-k ties kept are unspecified (torch.sort is not stable)',
  ],
  ignored: { 'penalties.repeat': 'SGLang validates repetition_penalty in (0, 2] but registers no repetition penalizer (sampling_batch_info.py; issue #28179)' },
  samplingByDefault: 'on',
  topKTies: 'exact',
  topKNegative: 'minus-one-only',
  topKTopP: 'joint-unless-min-p',
  prefilterTopK: 0,
  topP: 'exclusive-float32',
  topPZero: 'error',
  topPComplement: 'float32',
  minP: 'probability-float32',
  minPAboveOne: 'error',
  typical: 'inclusive',
  topNSigma: { float32: false, negative: 'error' },
  cutoffFloat32: false,
  temperature: { zero: 'greedy', negative: 'error', greedyBelow: 1e-6, floor: 0, float32: true },
  penalties: { window: false, repeatCounts: 'prompt+generated', additiveCounts: 'generated', additiveRange: [-2, 2], repeatMax: 2, float32: true, repeatSign: 'multiply-at-or-below-zero', repeatDivision: 'divide', additive: 'separate' },
  minKeep: 1,
  logitBias: { clamp: Infinity, outOfVocab: 'error' },
  xtcRemoval: 'remove',
  ...ABSENT,
  adaptiveP: LLAMA_CPP_ADAPTIVE_P,
});

const ollama = withDerivedFields({
  name: 'ollama',
  title: 'Ollama (GGUF through llama-server)',
  sources: [
    'ollama/ollama @fb307609 (2026-08-21) llm/llama_server.go (fields sent to llama-server: temperature, top_k, top_p, min_p, typical_p, repeat_penalty, repeat_last_n, frequency/presence_penalty, seed; no samplers list)',
    'api/types.go DefaultOptions (temperature 0.8, top_k 40, top_p 0.9, min_p 0, repeat_last_n 64, repeat_penalty 1)',
    'openai/openai.go (the /v1 layer)',
    'sampling: llama.cpp (the llama.cpp profile; llama-server build b10488 not re-read)',
  ],
  verified: 'read, not run (llama.cpp\'s rules: see llama.cpp)',
  caveats: [
    'current Ollama runs every GGUF model through an upstream llama-server subprocess: llama.cpp\'s rules with Ollama\'s defaults (top_p 0.9, min_p 0)',
    'its /v1 (OpenAI) layer drops top_k, min_p, repetition_penalty, logit_bias and typical_p silently, and sets temperature and top_p to 1.0 when absent; use the native /api options',
    'safetensors models run on its MLX engine instead (not a profile); the Go sampler of Ollama <= 2026-05 is ollama-go',
  ],
  ignored: {},
  samplingByDefault: 'on',
  topKTies: 'exact',
  topKNegative: 'disabled',
  topKTopP: 'sequential',
  prefilterTopK: 0,
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
  xtcRemoval: 'remove',
  ...ABSENT,
  adaptiveP: LLAMA_CPP_ADAPTIVE_P,
});

const ollamaGo = withDerivedFields({
  name: 'ollama-go',
  title: 'Ollama Go sampler (until 2026-05)',
  sources: [
    'ollama/ollama sample/samplers.go, sample/transforms.go @f63eea3d (2026-05-24), the parent of 9db4bdba (2026-05-29) that deleted them',
    'runner/ollamarunner/runner.go (passes only temperature, top_k, top_p, min_p, seed, grammar)',
  ],
  verified: 'read, not run; its tests in test/conformance/ollama-go.json',
  caveats: [
    'deleted on 2026-05-29: current Ollama follows the ollama profile',
    'it served the Ollama-engine architectures only; the others ran llama.cpp\'s sampler with penalties',
    'top_p and min_p outside [0, 1] were clamped, here rejected',
  ],
  ignored: {},
  samplingByDefault: 'on',
  topKTies: 'exact',
  topKNegative: 'disabled',
  topKTopP: 'sequential',
  prefilterTopK: 0,
  topP: 'prefix-strict-float32',
  topPZero: 'keep-one',
  topPComplement: 'float64',
  minP: 'probability-float32',
  minPAboveOne: 'keep-max',
  typical: 'inclusive',
  topNSigma: { float32: false, negative: 'error' },
  cutoffFloat32: false,
  temperature: { zero: 'greedy', negative: 'greedy', greedyBelow: 0, floor: 1e-7, float32: true },
  penalties: { window: false, repeatCounts: 'prompt+generated', additiveCounts: 'none', float32: true, repeatSign: 'multiply-at-or-below-zero', repeatDivision: 'divide', additive: 'combined' },
  minKeep: 1,
  logitBias: { clamp: Infinity, outOfVocab: 'error' },
  xtcRemoval: 'remove',
  ...ABSENT,
  adaptiveP: LLAMA_CPP_ADAPTIVE_P,
});

const koboldcpp = withDerivedFields({
  name: 'koboldcpp',
  title: 'KoboldCpp',
  sources: [
    'LostRuins/koboldcpp gpttype_adapter.cpp @0c163a9b (1.116.1, 2026-06-28; SampleLogits, sample_top_a, sample_tail_free, sample_temperature, sample_adaptive_p) and @062b30f3',
    'koboldcpp.py @0c163a9b (defaults, sampler_order [6,0,1,3,4,2,5], adaptive_decay clamp, rep_pen aliases)',
    'tail-free = llama.cpp\'s llama_sampler_tail_free_apply as vendored @2da346a5',
  ],
  verified: 'read, not run (no sampler tests upstream)',
  caveats: [
    'sampler_order default [6,0,1,3,4,2,5]: rep_pen, top_k, top_a, tfs, typical, top_p (+ min_p), temperature (+ smoothing, then top-n-sigma); DRY always first, XTC after the order, adaptive-p last',
    'its OpenAI layer reads typical_p, top_n_sigma and repeat_last_n under other names (typical, nsigma, rep_pen_range) and uses frequency_penalty as presence_penalty',
    'rep_pen_slope (older half of the window penalised less when < 1) is not modelled; default 1 = uniform',
    'with adaptive-p on and no min_p/top_p, the request layer forces min_p = 0.002 (not modelled)',
    'with --parallelrequests > 1, plain requests run a llama.cpp chain instead',
  ],
  ignored: {},
  samplingByDefault: 'on',
  topKTies: 'exact',
  topKNegative: 'disabled',
  topKTopP: 'sequential',
  prefilterTopK: 3000,
  topP: 'prefix-float32',
  topPZero: 'keep-one',
  topPComplement: 'float64',
  minP: 'logit-float32',
  minPAboveOne: 'keep-max',
  typical: 'strict-float32',
  topNSigma: { float32: true, negative: 'disabled' },
  cutoffFloat32: false,
  temperature: { zero: 'greedy', negative: 'greedy', greedyBelow: 0, floor: 0, float32: true },
  penalties: { window: true, repeatCounts: 'prompt+generated', additiveCounts: 'prompt+generated', presenceOnly: true, zeroFilledWindow: true, float32: true, repeatSign: 'multiply-at-or-below-zero', repeatDivision: 'divide', additive: 'combined' },
  minKeep: 1,
  logitBias: { clamp: 100, outOfVocab: 'ignore' },
  xtcRemoval: 'subtract-999',
  ...ABSENT,
  topA: 'float32',
  tfs: 'llama.cpp-float32',
  smoothing: 'float32-any-curve',
  adaptiveP: { off: 'non-positive', decay: 'clamp', decayRange: [0.01, 0.99], update: 'immediate', clampTarget: false, float32: true },
});

const exllamav2 = withDerivedFields({
  name: 'exllamav2',
  title: 'ExLlamaV2 (TabbyAPI defaults)',
  sources: [
    'turboderp-org/exllamav2 @da07facd (2025-12-09) exllamav2_ext/ext_sampling.cpp (sample_basic), exllamav2_ext/cpp/sampling.cpp (top_p_cpu, top_a_cpu, min_p_cpu, tfs_cpu, typical_cpu, multinomial_cpu, apply_rep_penalty_cpu)',
    'exllamav2/generator/sampler.py (Settings, order), generator/dynamic.py (min_new_tokens)',
    'theroyallab/tabbyAPI @79126f90 backends/exllamav2/model.py, common/sampling.py (defaults; the last commit before the backend was removed)',
  ],
  verified: 'read, not run (no sampler tests upstream)',
  caveats: [
    'TabbyAPI removed its ExLlamaV2 backend on 2026-07-14; today it serves exllamav3 (not a profile), which ignores smoothing_factor, top_a, tfs, typical, skew, dry, mirostat and allowed_tokens with a warning',
    'the library\'s own defaults differ from TabbyAPI\'s: temperature 0.8, top_k 50, top_p 0.8, repetition 1.025',
    'its XTC is a reweighting that does not do what its comments say, and its DRY and mirostat were not read: not available here',
    'every draw scales the uniform by 0.9998 over the unsorted candidates, so the last tokens in memory order are never drawn (modelled only with skew)',
    'repetition decay (penalties fading over a range) is not modelled (TabbyAPI default 0)',
  ],
  ignored: {},
  samplingByDefault: 'on',
  topKTies: 'exact',
  topKNegative: 'disabled',
  topKTopP: 'sequential',
  prefilterTopK: 0,
  topP: 'under-p-float32',
  topPZero: 'disabled',
  topPComplement: 'float32',
  minP: 'probability-float32',
  minPAboveOne: 'ignored',
  typical: 'exllamav2',
  topNSigma: { float32: true, negative: 'disabled' },
  cutoffFloat32: false,
  temperature: { zero: 'greedy', negative: 'greedy', greedyBelow: 0.01, floor: 0, float32: true },
  penalties: { window: true, repeatCounts: 'prompt+generated', additiveCounts: 'prompt+generated', float32: true, repeatSign: 'multiply-at-or-below-zero', repeatDivision: 'divide', additive: 'separate' },
  minKeep: 0,
  logitBias: { clamp: Infinity, outOfVocab: 'ignore' },
  xtcRemoval: 'remove',
  ...ABSENT,
  topA: 'float32',
  tfs: 'exllamav2-float32',
  smoothing: 'float32-no-curve',
  adaptiveP: LLAMA_CPP_ADAPTIVE_P,
  skewScale: 0.9998,
  minTokensMask: 'logit-1e30',
});

const transformersJs = withDerivedFields({
  name: 'transformers.js',
  title: 'transformers.js',
  sources: [
    'npm @huggingface/transformers 4.3.2: src/models/modeling_utils.js (_get_logits_processor), src/generation/logits_sampler.js (MultinomialSampler: top-k inside), src/generation/logits_process.js, src/generation/configuration_utils.js',
  ],
  verified: 'run: 4.3.2\'s processors and sampler, 20000 seeded draws per setting (engines note §8)',
  caveats: ['greedy unless do_sample: true; temperature 0 switches do_sample off', 'a negative temperature is not rejected: the logits are divided by it (the distribution flips)', 'the draw is its own weighted index over the top-k order, with one global MT19937'],
  ignored: {
    top_p: 'its TopPLogitsWarper has no _call and is never built (run: identical draws with and without top_p 0.5)',
    min_p: 'not a GenerationConfig field: set anyway it is never read (run)',
    typical_p: 'a GenerationConfig field that nothing reads (run)',
    epsilon: 'epsilon_cutoff is a GenerationConfig field that nothing reads (run)',
    eta: 'eta_cutoff is a GenerationConfig field that nothing reads (run)',
  },
  samplingByDefault: 'off (do_sample: false: greedy)',
  topKTies: 'exact',
  topKNegative: 'disabled',
  topKTopP: 'sequential',
  prefilterTopK: 0,
  topP: 'suffix-float32',
  topPZero: 'keep-one',
  topPComplement: 'float64',
  minP: 'probability-float32',
  minPAboveOne: 'error',
  typical: 'inclusive-keep-ties',
  topNSigma: { float32: false, negative: 'error' },
  cutoffFloat32: true,
  temperature: { zero: 'greedy', negative: 'flip', greedyBelow: 0, floor: 0, float32: true },
  penalties: { window: false, repeatCounts: 'prompt+generated', additiveCounts: 'none', float32: true, repeatSign: 'multiply-below-zero', repeatDivision: 'divide', additive: 'combined' },
  minKeep: 1,
  logitBias: { clamp: Infinity, outOfVocab: 'error' },
  xtcRemoval: 'remove',
  ...ABSENT,
  adaptiveP: LLAMA_CPP_ADAPTIVE_P,
  badWords: { history: 'prompt+generated', dropEos: false, skipWhen: 'prefix-longer' },
});

const nodeLlamaCpp = withDerivedFields({
  name: 'node-llama-cpp',
  title: 'node-llama-cpp',
  sources: [
    'npm node-llama-cpp 3.21.1: llama/addon/AddonSampler.cpp (rebuildChainIfNeeded: the chain), dist/evaluator/LlamaContext/LlamaContext.js (defaults, seed), dist/evaluator/LlamaChat/LlamaChat.js (punished tokens), dist/evaluator/TokenBias.js',
    'samplers: llama.cpp v0.4.0 (llama/llama.cpp.info.json)',
  ],
  verified: 'run: 3.21.1 on the tiny GGUF model, kept sets and 1000 seeded draws (engines note §9)',
  caveats: [
    'greedy by default (temperature 0); with temperature > 0: top_k 40, top_p 0.95, min_p 0',
    'the repeat penalty counts the tokens generated in this response only (last 64, newline excluded unless penalizeNewLine)',
    'TokenBias.set(text, b) maps a number b to the logit ln(b/(1-b)): 0.5 has no effect and a negative b gives NaN, which makes the token certain',
    'an unseeded request is seeded with floor(Date.now()/1000): unseeded requests in the same second draw alike',
  ],
  ignored: {},
  samplingByDefault: 'off (temperature 0: greedy)',
  topKTies: 'exact',
  topKNegative: 'disabled',
  topKTopP: 'sequential',
  prefilterTopK: 0,
  topP: 'prefix-float32',
  topPZero: 'keep-one',
  topPComplement: 'float64',
  minP: 'logit-float32',
  minPAboveOne: 'keep-max',
  typical: 'strict-float32',
  topNSigma: { float32: true, negative: 'disabled' },
  cutoffFloat32: false,
  temperature: { zero: 'greedy', negative: 'greedy', greedyBelow: 0, floor: 0, float32: true },
  penalties: { window: true, repeatCounts: 'generated', additiveCounts: 'generated', float32: true, repeatSign: 'multiply-at-or-below-zero', repeatDivision: 'divide', additive: 'combined' },
  minKeep: 1,
  logitBias: { clamp: Infinity, outOfVocab: 'ignore' },
  xtcRemoval: 'remove',
  ...ABSENT,
  adaptiveP: LLAMA_CPP_ADAPTIVE_P,
});

const PROFILES: Readonly<Record<EngineName, EngineProfile>> = {
  knobs,
  'llama.cpp': llamaCpp,
  hf,
  vllm,
  sglang,
  ollama,
  'ollama-go': ollamaGo,
  koboldcpp,
  exllamav2,
  'transformers.js': transformersJs,
  'node-llama-cpp': nodeLlamaCpp,
};

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

/**
 * Every profile, in `ENGINE_NAMES` order.
 *
 * @example
 * listProfiles().map((profile) => profile.name); // ['knobs', 'llama.cpp', 'hf', 'vllm', ...]
 */
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

/**
 * The stages an engine runs for a chain, where the engine itself adds or reorders stages
 * (named profile fields, never the engine's name):
 * - `prefilterTopK` (koboldcpp: 3000): a top-k the engine always runs after logit bias and
 *   DRY, inserted before the first other stage;
 * - `topKTopP: 'joint-unless-min-p'` (SGLang): without a min_p stage, a top_k directly
 *   followed by top_p cuts one distribution jointly — top-p's mass counts every token — which
 *   is top_p followed by top_k (both keep a prefix of the same ranking); they are swapped.
 * Other engines get the stages unchanged.
 *
 * @example
 * engineStages(getProfile('koboldcpp'), [{ name: 'top_p', parameters: { p: 0.9 } }]).map((s) => s.name); // ['top_k', 'top_p']
 */
export function engineStages<T extends { readonly name: string }>(profile: EngineProfile, stages: readonly T[]): (T | ParsedStage)[] {
  const result: (T | ParsedStage)[] = [...stages];
  if (profile.topKTopP === 'joint-unless-min-p' && !result.some((stage) => stage.name === 'min_p')) {
    for (let i = 0; i + 1 < result.length; i++) {
      if (result[i]?.name === 'top_k' && result[i + 1]?.name === 'top_p') {
        const topK = result[i] as T | ParsedStage;
        result[i] = result[i + 1] as T | ParsedStage;
        result[i + 1] = topK;
        i++;
      }
    }
  }
  if (profile.prefilterTopK > 0) {
    let at = 0;
    while (at < result.length && (result[at]?.name === 'logit_bias' || result[at]?.name === 'dry')) at++;
    result.splice(at, 0, { name: 'top_k', parameters: { k: profile.prefilterTopK } });
  }
  return result;
}
