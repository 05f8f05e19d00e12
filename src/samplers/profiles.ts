import { InvalidParameterError } from '../core/errors.js';
import type { TopKTies } from './topK.js';

/** The engines whose sampling semantics are available as profiles. */
export const ENGINE_NAMES = ['knobs', 'llama.cpp', 'hf', 'vllm'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/**
 * An engine's sampling semantics where engines differ. Every difference lives in this
 * one table, readable at a glance (transformers' single ordering function, as a table).
 */
export interface EngineProfile {
  readonly name: EngineName;
  readonly title: string;
  /** Order in which flag-style settings (`--top-k 40 --temperature 0.8`) are applied. */
  readonly defaultOrder: readonly string[];
  /** Top-k with ties at the k-th logit: exactly k tokens, or every tied token. */
  readonly topKTies: TopKTies;
  /** Default `min_keep` of top-p and min-p. */
  readonly minKeep: number;
}

const knobs: EngineProfile = {
  name: 'knobs',
  title: 'creativity-knobs',
  defaultOrder: ['logit_bias', 'penalties', 'dry', 'no_repeat_ngram', 'top_k', 'top_p', 'min_p', 'typical_p', 'top_n_sigma', 'epsilon', 'eta', 'xtc', 'dynatemp', 'temperature', 'mirostat', 'greedy'],
  topKTies: 'exact',
  minKeep: 1,
};

const llamaCpp: EngineProfile = {
  ...knobs,
  name: 'llama.cpp',
  title: 'llama.cpp',
};

const hf: EngineProfile = {
  ...knobs,
  name: 'hf',
  title: 'Hugging Face transformers',
  defaultOrder: ['logit_bias', 'penalties', 'no_repeat_ngram', 'temperature', 'top_k', 'top_p', 'min_p', 'typical_p', 'epsilon', 'eta', 'greedy'],
  topKTies: 'keep-ties',
};

const vllm: EngineProfile = {
  ...knobs,
  name: 'vllm',
  title: 'vLLM',
  defaultOrder: ['logit_bias', 'penalties', 'temperature', 'min_p', 'top_k', 'top_p', 'greedy'],
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
