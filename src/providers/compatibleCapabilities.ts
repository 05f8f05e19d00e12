import { InvalidParameterError } from '../core/errors.js';
import { OPENAI_KNOBS } from './openaiCapabilities.js';
import type { KnobRange, ModelCapabilities } from './types.js';

/** Kinds of OpenAI-compatible servers whose extra knobs are known. */
export const COMPATIBLE_SERVERS = ['generic', 'vllm', 'llama.cpp', 'ollama', 'sglang', 'lmstudio', 'knobs'] as const;
/** A kind of OpenAI-compatible server (`--server`, an experiment's `server`): one of `COMPATIBLE_SERVERS`. */
export type CompatibleServer = (typeof COMPATIBLE_SERVERS)[number];

const probability: KnobRange = { min: 0, max: 1 };
const penalty: KnobRange = { min: 0, max: 100, default: 1, note: '1 = off' };
const anyTemperature: KnobRange = { min: 0, max: 100, default: 1 };

/** Extra knobs (sent as extra body fields) each server documents for its OpenAI-compatible endpoints. */
const EXTRA_KNOBS: Readonly<Record<CompatibleServer, Readonly<Record<string, KnobRange>>>> = {
  generic: {},
  vllm: {
    temperature: anyTemperature,
    top_k: { min: -1, max: 2147483647, integer: true, note: '-1 or 0 = off' },
    min_p: probability,
    repetition_penalty: penalty,
  },
  'llama.cpp': {
    temperature: anyTemperature,
    top_k: { min: 0, max: 2147483647, integer: true, note: '0 = off' },
    min_p: probability,
    typical_p: probability,
    top_n_sigma: { min: -1, max: 100, note: '-1 = off' },
    repeat_penalty: penalty,
    repeat_last_n: { min: -1, max: 2147483647, integer: true, note: '-1 = context size' },
    xtc_probability: probability,
    xtc_threshold: probability,
    dry_multiplier: { min: 0, max: 100 },
    dry_base: { min: 1, max: 100 },
    dry_allowed_length: { min: 0, max: 2147483647, integer: true },
    dry_penalty_last_n: { min: -1, max: 2147483647, integer: true },
    dynatemp_range: { min: 0, max: 100 },
    dynatemp_exponent: { min: 0, max: 100 },
    mirostat: { min: 0, max: 2, integer: true },
    mirostat_tau: { min: 0, max: 100 },
    mirostat_eta: { min: 0, max: 1 },
  },
  ollama: {},
  sglang: {
    temperature: anyTemperature,
    top_k: { min: -1, max: 1073741824, integer: true, note: '-1 = off (0 is an error)' },
    min_p: probability,
    repetition_penalty: { min: 0, max: 2, default: 1, note: 'validated, but SGLang registers no penalizer for it' },
  },
  lmstudio: {
    top_k: { min: 0, max: 2147483647, integer: true },
    min_p: probability,
    repeat_penalty: penalty,
  },
  knobs: {
    top_k: { min: -1, max: 2147483647, integer: true, note: '<= 0 = off' },
    min_p: probability,
    typical_p: probability,
    top_n_sigma: { min: -1, max: 100 },
    epsilon_cutoff: probability,
    eta_cutoff: probability,
    repetition_penalty: penalty,
    repeat_penalty: penalty,
    repeat_last_n: { min: -1, max: 2147483647, integer: true },
    xtc_probability: probability,
    xtc_threshold: probability,
    dry_multiplier: { min: 0, max: 100 },
    dry_base: { min: 1, max: 100 },
    dry_allowed_length: { min: 0, max: 2147483647, integer: true },
    dry_penalty_last_n: { min: -1, max: 2147483647, integer: true },
    no_repeat_ngram_size: { min: 0, max: 2147483647, integer: true },
    dynatemp_range: { min: 0, max: 100 },
    dynatemp_exponent: { min: 0, max: 100 },
    mirostat: { min: 0, max: 2, integer: true },
    mirostat_tau: { min: 0, max: 100 },
    mirostat_eta: { min: 0, max: 1 },
  },
};

const NOTES: Readonly<Record<CompatibleServer, string>> = {
  generic: 'unknown server: extra knobs are sent as extra body fields; the server may ignore those it does not know',
  vllm: 'vLLM applies its knobs in a fixed order: penalties, temperature, min_p, top_k, top_p',
  'llama.cpp': 'llama.cpp server: knobs apply in its sampler order (see --samplers)',
  ollama: "Ollama's /v1 endpoint knows only the OpenAI fields; other options need its native /api endpoints",
  sglang: 'SGLang: penalties, logit_bias, temperature, then top-k and top-p together (jointly unless a request in the batch has min_p), min_p',
  lmstudio: 'LM Studio accepts top_k, min_p and repeat_penalty as extra fields',
  knobs: 'knobs serve: every knob of the chain, and a `chain` field with the JSON chain',
};

/**
 * Checks a `--server` name.
 *
 * @example
 * checkCompatibleServer('vllm'); // 'vllm'
 */
export function checkCompatibleServer(server: string): CompatibleServer {
  if (!(COMPATIBLE_SERVERS as readonly string[]).includes(server)) {
    throw new InvalidParameterError('--server', server, `one of ${COMPATIBLE_SERVERS.join(', ')}`);
  }
  return server as CompatibleServer;
}

/**
 * What a model behind an OpenAI-compatible server accepts: the OpenAI knobs plus the
 * server's documented extras. Fields outside the table are passed through with a note.
 *
 * @example
 * compatibleCapabilities('llama3', 'vllm').knobs.min_p; // { min: 0, max: 1 }
 */
export function compatibleCapabilities(model: string, server: CompatibleServer = 'generic'): ModelCapabilities {
  return {
    provider: `openai-compatible:${server}`,
    model,
    known: server !== 'generic',
    family: `compatible-${server}`,
    knobs: { ...OPENAI_KNOBS, ...EXTRA_KNOBS[server] },
    refused: {},
    exclusive: [],
    options: server === 'knobs' ? ['engine', 'logprobs_mode', 'chain', 'return_tokens_as_token_ids', 'user'] : server === 'vllm' ? ['return_tokens_as_token_ids', 'user'] : ['user'],
    passThrough: true,
    logprobs: { supported: server !== 'ollama', maxTop: 20 },
    maxN: 128,
    seed: true,
    chain: server === 'knobs',
    notes: [NOTES[server]],
  };
}
