import type { Fields } from './types.js';

/** What the audit knows of a kind of target before measuring it. */
export interface TargetKind {
  /** Knobs audited by default: those the kind accepts, and those it is known to drop (to show it). */
  readonly knobs: readonly string[];
  /** Where the list comes from. */
  readonly source: string;
  /** Neutral values sent with every request, so that the engine's own defaults stay out of the way. */
  readonly baseline: Fields;
  /** Engine profiles whose rules it follows, preferred first. */
  readonly profiles: readonly string[];
  readonly profileNote?: string;
  /** Its logprobs can name token ids (vLLM's `return_tokens_as_token_ids`) and it takes token-id prompts. */
  readonly tokenIds: boolean;
  /** It returns top log-probabilities. */
  readonly logprobs: boolean;
  /** Its engine samples from normalised log-probabilities (every model of `knobs serve`), so its raw logits are known. */
  readonly logitsAreLogprobs?: boolean;
}

const NOTE = 'the research note engines-2026.md §10 (request fields read from each server\'s sources, not run)';

/**
 * The kinds of targets: OpenAI-compatible servers by `--server` kind, the OpenAI and
 * Anthropic APIs, and the two local runtimes. Knob lists follow the fields each server
 * accepts, drops or changes (engines-2026.md §10, read, not run); `ollama` lists the
 * fields its /v1 drops too (`top_k`, `min_p`, `repetition_penalty`, `logit_bias`), to show
 * them ignored.
 */
export const TARGET_KINDS: Readonly<Record<string, TargetKind>> = {
  knobs: {
    knobs: ['temperature', 'top_k', 'top_p', 'min_p', 'typical_p', 'top_n_sigma', 'epsilon_cutoff', 'eta_cutoff', 'xtc', 'presence_penalty', 'frequency_penalty', 'repetition_penalty', 'dry', 'no_repeat_ngram_size', 'dynatemp', 'mirostat', 'logit_bias', 'seed'],
    source: 'knobs serve: every knob field of the registered samplers (src/providers/knobFields.ts)',
    baseline: { temperature: 1, top_p: 1 },
    profiles: ['knobs'],
    tokenIds: true,
    logprobs: true,
    logitsAreLogprobs: true,
  },
  vllm: {
    knobs: ['temperature', 'top_p', 'top_k', 'min_p', 'presence_penalty', 'frequency_penalty', 'repetition_penalty', 'logit_bias', 'seed'],
    source: NOTE,
    baseline: { temperature: 1, top_p: 1, top_k: -1, min_p: 0, repetition_penalty: 1 },
    profiles: ['vllm'],
    profileNote: 'absent fields take the model\'s generation_config values in vLLM, so the baseline sends every neutral value',
    tokenIds: true,
    logprobs: true,
  },
  'llama.cpp': {
    knobs: ['temperature', 'top_k', 'top_p', 'min_p', 'typical_p', 'top_n_sigma', 'xtc', 'dynatemp', 'repeat_penalty', 'frequency_penalty', 'presence_penalty', 'dry', 'mirostat', 'logit_bias', 'seed'],
    source: NOTE,
    baseline: { temperature: 1, top_k: 0, top_p: 1, min_p: 0, typical_p: 1, repeat_penalty: 1 },
    profiles: ['llama.cpp'],
    profileNote: 'llama-server samples with top_k 40, top_p 0.95, min_p 0.05 and temperature 0.8 unless told otherwise, so the baseline sends every neutral value',
    tokenIds: false,
    logprobs: true,
  },
  ollama: {
    knobs: ['temperature', 'top_p', 'frequency_penalty', 'presence_penalty', 'seed', 'top_k', 'min_p', 'repetition_penalty', 'logit_bias'],
    source: `${NOTE}; top_k, min_p, repetition_penalty and logit_bias are dropped by Ollama's /v1 (openai/openai.go), listed to show it`,
    baseline: { temperature: 1, top_p: 1 },
    profiles: ['ollama'],
    profileNote: 'current Ollama runs GGUF models in llama-server with its own defaults (top_k 40 stays: /v1 cannot change it)',
    tokenIds: false,
    logprobs: true,
  },
  sglang: {
    knobs: ['temperature', 'top_p', 'top_k', 'min_p', 'presence_penalty', 'frequency_penalty', 'repetition_penalty', 'logit_bias', 'seed'],
    source: `${NOTE}; SGLang validates repetition_penalty but registers no penalizer for it`,
    baseline: { temperature: 1, top_p: 1, top_k: -1, min_p: 0 },
    profiles: ['sglang'],
    tokenIds: false,
    logprobs: true,
  },
  lmstudio: {
    knobs: ['temperature', 'top_p', 'top_k', 'min_p', 'presence_penalty', 'frequency_penalty', 'repeat_penalty', 'logit_bias', 'seed'],
    source: `${NOTE} (LM Studio's documented fields; closed source)`,
    baseline: { temperature: 1, top_p: 1, top_k: 0, min_p: 0, repeat_penalty: 1 },
    profiles: [],
    profileNote: 'LM Studio runs llama.cpp or MLX engines and has no engine profile here',
    tokenIds: false,
    logprobs: true,
  },
  generic: {
    knobs: ['temperature', 'top_p', 'presence_penalty', 'frequency_penalty', 'logit_bias', 'seed'],
    source: 'the OpenAI API\'s sampling fields (an unknown server)',
    baseline: { temperature: 1, top_p: 1 },
    profiles: [],
    profileNote: 'an unknown server has no engine profile',
    tokenIds: false,
    logprobs: true,
  },
  openai: {
    knobs: ['temperature', 'top_p', 'presence_penalty', 'frequency_penalty', 'logit_bias', 'seed'],
    source: 'the OpenAI API\'s sampling fields (src/providers/openaiCapabilities.ts)',
    baseline: { temperature: 1, top_p: 1 },
    profiles: [],
    profileNote: 'the OpenAI API\'s engine is not public: no engine profile',
    tokenIds: false,
    logprobs: true,
  },
  anthropic: {
    knobs: ['temperature', 'top_p', 'top_k'],
    source: 'the Messages API\'s sampling fields (src/providers/anthropicCapabilities.ts)',
    baseline: {},
    profiles: [],
    profileNote: 'the Anthropic API\'s engine is not public: no engine profile',
    tokenIds: false,
    logprobs: false,
  },
  'gguf-native': {
    knobs: ['temperature', 'top_k', 'top_p', 'min_p', 'xtc', 'logit_bias', 'seed'],
    source: 'node-llama-cpp 3.21.1\'s sampling options (temperature, topK, topP, minP, xtc, tokenBias, seed; engines-2026.md §9, run); its repeatPenalty punishes only the tokens generated in the same response, which a one-token request does not have',
    baseline: { temperature: 1, top_k: 0, top_p: 1, min_p: 0 },
    profiles: ['node-llama-cpp', 'llama.cpp'],
    profileNote: 'node-llama-cpp samples with llama.cpp\'s own samplers (engines-2026.md §9, run), so the llama.cpp profile stands in until a node-llama-cpp profile exists; its defaults (greedy, top_k 40, top_p 0.95) are overridden by the baseline',
    tokenIds: true,
    logprobs: true,
  },
  'transformers.js': {
    knobs: ['temperature', 'top_k', 'top_p', 'min_p', 'typical_p', 'repetition_penalty', 'no_repeat_ngram_size', 'seed'],
    source: 'transformers.js 4\'s GenerationConfig fields (engines-2026.md §7, run)',
    baseline: { temperature: 1, top_k: 0 },
    profiles: ['transformers.js', 'hf'],
    profileNote: 'transformers.js ports transformers\' processors, so the hf profile stands in until a transformers.js profile exists; its default top_k 50 is overridden by the baseline (top_k 0)',
    tokenIds: true,
    logprobs: true,
  },
};

/**
 * The kind of a target by name.
 *
 * @example
 * targetKind('vllm').baseline.top_k; // -1
 */
export function targetKind(name: string): TargetKind {
  const kind = TARGET_KINDS[name];
  if (!kind) throw new Error(`no target kind ${name}`);
  return kind;
}
