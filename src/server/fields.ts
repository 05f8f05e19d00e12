import { formatValue, KnobsError } from '../core/errors.js';
import { createSampler } from '../samplers/chain.js';
import { ENGINE_NAMES } from '../samplers/profiles.js';
import type { ChainSpec } from '../samplers/spec.js';
import { randomSeed } from '../providers/generateCompletion.js';
import { chainFromKnobFields, isKnobField } from '../providers/knobFields.js';
import { ApiError } from '../http/apiError.js';

type Body = Readonly<Record<string, unknown>>;

const present = (body: Body, name: string): boolean => body[name] !== undefined && body[name] !== null;

function bad(name: string, value: unknown, allowed: string): ApiError {
  const problem = typeof value === 'number' ? 'is out of range' : 'is invalid';
  return new ApiError(400, `${name} = ${formatValue(value)} ${problem}: expected ${allowed}`, { param: name });
}

/** An optional number field in [min, max], or `undefined`. */
export function numberField(body: Body, name: string, min: number, max: number): number | undefined {
  if (!present(body, name)) return undefined;
  const value = body[name];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) throw bad(name, value, `a number in [${min}, ${max}]`);
  return value;
}

/** An optional integer field in [min, max], or `undefined`. */
export function integerField(body: Body, name: string, min: number, max: number): number | undefined {
  if (!present(body, name)) return undefined;
  const value = body[name];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw bad(name, value, `an integer in [${min}, ${max}]`);
  return value;
}

/** An optional boolean field. */
export function booleanField(body: Body, name: string): boolean | undefined {
  if (!present(body, name)) return undefined;
  const value = body[name];
  if (typeof value !== 'boolean') throw bad(name, value, 'true or false');
  return value;
}

/** A required non-empty string field. */
export function requiredString(body: Body, name: string): string {
  const value = body[name];
  if (value === undefined || value === null) throw new ApiError(400, `${name} is required`, { param: name, code: 'missing_required_parameter' });
  if (typeof value !== 'string' || value === '') throw bad(name, value, 'a non-empty string');
  return value;
}

/** Stop strings: a string or an array of at most `max` strings (empty strings are dropped). */
export function stopField(body: Body, name: string, max: number): string[] {
  if (!present(body, name)) return [];
  const value = body[name];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((item) => typeof item !== 'string') || list.length > max) {
    throw bad(name, value, `a string or an array of at most ${max} strings`);
  }
  return (list as string[]).filter((item) => item.length > 0);
}

/** Refuses fields that are neither known nor knobs, naming the first one. */
export function refuseUnknownFields(body: Body, known: ReadonlySet<string>, message: (field: string) => string): void {
  for (const field of Object.keys(body)) {
    if (!known.has(field) && !isKnobField(field)) throw new ApiError(400, message(field), { param: field, code: 'unknown_parameter' });
  }
}

/** How a request samples: the chain, its engine profile, the seed and the kind of log-probabilities. */
export interface SamplingPlan {
  readonly chain: ChainSpec | string;
  readonly engine: string;
  readonly seed: number;
  readonly logprobsMode: 'raw' | 'processed';
}

/**
 * Reads the sampling fields of a request: a `chain` (JSON array or compact string), or the
 * flag-style knob fields (ordered by `engine`'s profile; string fields such as
 * `dry_sequence_breakers` are tokenized with `encode`); `engine`, `seed` (random when
 * absent) and `logprobs_mode`. Every stage is built once to check it, so a bad value is a
 * 400 that names the field it came from and the allowed range.
 *
 * @example
 * samplingPlan({ top_k: 40, temperature: 0.8, seed: 3 }, 'knobs').chain; // [{ top_k: { k: 40 } }, { temperature: { t: 0.8 } }]
 */
export function samplingPlan(body: Body, defaultEngine: string, encode?: (text: string) => number[]): SamplingPlan {
  const engine = present(body, 'engine') ? body.engine : defaultEngine;
  if (typeof engine !== 'string' || !(ENGINE_NAMES as readonly string[]).includes(engine)) throw bad('engine', engine, `one of ${ENGINE_NAMES.join(', ')}`);
  const seed = integerField(body, 'seed', 0, Number.MAX_SAFE_INTEGER) ?? randomSeed();
  const mode = present(body, 'logprobs_mode') ? body.logprobs_mode : 'raw';
  if (mode !== 'raw' && mode !== 'processed') throw bad('logprobs_mode', mode, '"raw" (the model\'s distribution) or "processed" (after the chain)');
  const knobs = Object.keys(body).filter((field) => isKnobField(field) && present(body, field));
  if (present(body, 'chain')) {
    const chain = body.chain;
    if (typeof chain !== 'string' && !Array.isArray(chain)) throw bad('chain', chain, 'a JSON array of single-key objects, or the compact form top_k=40,temperature=0.8');
    if (knobs.length > 0) throw new ApiError(400, `give either chain or knob fields (${knobs.join(', ')}), not both`, { param: 'chain' });
    check(() => createSampler(chain as ChainSpec | string, { engine }), 'chain');
    return { chain: chain as ChainSpec | string, engine, seed, logprobsMode: mode };
  }
  const built = check(() => chainFromKnobFields(body, engine, encode ? { encode } : {}), undefined);
  built.chain.forEach((stage, index) => check(() => createSampler([stage], { engine }), built.fields[index]?.join(',') ?? 'chain'));
  return { chain: built.chain, engine, seed, logprobsMode: mode };
}

function check<T>(build: () => T, param: string | undefined): T {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof KnobsError)) throw error;
    const field = param ?? (error as { parameter?: string }).parameter ?? null;
    throw new ApiError(400, error.message, { param: field, code: 'invalid_value' });
  }
}

/** Checks that every key of `logit_bias` is a token id of the model. */
export function checkLogitBiasIds(body: Body, vocabSize: number): void {
  const bias = body.logit_bias;
  if (bias === null || typeof bias !== 'object') return;
  for (const key of Object.keys(bias)) {
    if (Number(key) >= vocabSize) throw new ApiError(400, `logit_bias key ${key} is not a token id of this model: expected an integer in [0, ${vocabSize - 1}]`, { param: 'logit_bias' });
  }
}

/** Checks that every id of `allowed_token_ids` (or `allowed_tokens`) is a token id of the model (vLLM: "contains out-of-vocab token id"). */
export function checkAllowedTokenIds(body: Body, vocabSize: number): void {
  for (const name of ['allowed_token_ids', 'allowed_tokens']) {
    const ids = body[name];
    if (!Array.isArray(ids)) continue;
    for (const id of ids) {
      if (typeof id === 'number' && id >= vocabSize) throw new ApiError(400, `${name} contains ${id}, which is not a token id of this model: expected integers in [0, ${vocabSize - 1}]`, { param: name });
    }
  }
}
