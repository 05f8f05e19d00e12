import { formatValue } from '../core/errors.js';
import type { KnobRange, KnobSettings, ModelCapabilities, Rejection } from './types.js';

/** What `checkSettings` found: settings the model refuses, fields not to send, and notes. */
export interface SettingsCheck {
  readonly rejected: Rejection[];
  /** Fields set to the only value the model has: accepted, but not sent (the model refuses the field itself). */
  readonly omitted: string[];
  readonly notes: string[];
}

/** The parts of a request that `checkSettings` looks at. */
export interface CheckedRequest {
  readonly settings?: KnobSettings;
  readonly n?: number;
  readonly seed?: number;
  readonly logprobs?: boolean;
  readonly topLogprobs?: number;
}

const prefix = 'rejected by provider: ';

/**
 * Checks request settings against a model's capabilities, before anything is sent. A
 * refused knob, a value out of the model's range, two knobs of an exclusive group (Claude's
 * temperature and top_p), an unknown field on a provider that does not pass fields
 * through, or `n` above the model's limit each give a `Rejection` whose reason starts with
 * "rejected by provider: ". A field set to a default-only model's single value is accepted
 * and listed in `omitted`. Seeds and log-probabilities the provider has no use for give notes.
 *
 * @example
 * checkSettings(anthropicCapabilities('claude-sonnet-4-5'), { settings: { temperature: 0.5, top_p: 0.9 } }).rejected[0]?.reason;
 * // "rejected by provider: claude-sonnet-4-5 accepts temperature or top_p, not both"
 */
export function checkSettings(capabilities: ModelCapabilities, request: CheckedRequest): SettingsCheck {
  const rejected: Rejection[] = [];
  const omitted: string[] = [];
  const notes: string[] = [];
  const model = capabilities.model;
  const settings = request.settings ?? {};
  const present = Object.keys(settings).filter((field) => settings[field] !== undefined && settings[field] !== null);
  for (const field of present) {
    const value = settings[field];
    const refusal = capabilities.refused[field];
    const range = capabilities.knobs[field];
    if (refusal !== undefined) {
      rejected.push({ parameter: field, value, reason: `${prefix}${refusal}` });
    } else if (range !== undefined) {
      const problem = rangeProblem(field, value, range, model);
      if (problem !== undefined) rejected.push({ parameter: field, value, reason: `${prefix}${problem}` });
      else if (range.min === range.max && range.default === range.min) omitted.push(field);
    } else if (capabilities.options.includes(field)) {
      continue;
    } else if (capabilities.passThrough) {
      notes.push(`${field} is not a knob known to ${capabilities.provider}; sent as is (the server may ignore it)`);
    } else {
      rejected.push({ parameter: field, value, reason: `${prefix}${capabilities.provider} has no field ${field} (accepted: ${Object.keys(capabilities.knobs).join(', ') || 'none'})` });
    }
  }
  for (const group of capabilities.exclusive) {
    const set = group.filter((field) => present.includes(field) && !omitted.includes(field));
    if (set.length > 1) {
      rejected.push({ parameter: set.join(','), value: Object.fromEntries(set.map((field) => [field, settings[field]])), reason: `${prefix}${model} accepts ${group.join(' or ')}, not both` });
    }
  }
  const n = request.n ?? 1;
  if (n > capabilities.maxN) rejected.push({ parameter: 'n', value: n, reason: `${prefix}n = ${n} is out of range for ${model}: expected an integer in [1, ${capabilities.maxN}]` });
  const wantsLogprobs = request.logprobs === true || (request.topLogprobs ?? 0) > 0;
  if (wantsLogprobs) {
    const refusal = capabilities.refused.logprobs;
    if (refusal !== undefined) rejected.push({ parameter: 'logprobs', value: true, reason: `${prefix}${refusal}` });
    else if (!capabilities.logprobs.supported) notes.push(`${capabilities.provider} returns no log-probabilities; tokens have logprob null`);
    else if ((request.topLogprobs ?? 0) > capabilities.logprobs.maxTop) {
      rejected.push({ parameter: 'top_logprobs', value: request.topLogprobs, reason: `${prefix}top_logprobs = ${request.topLogprobs} is out of range for ${model}: expected an integer in [0, ${capabilities.logprobs.maxTop}]` });
    }
  }
  if (request.seed !== undefined && !capabilities.seed) notes.push(`${capabilities.provider} has no seed: seed ${request.seed} not sent, completions are not reproducible`);
  return { rejected, omitted, notes };
}

function rangeProblem(field: string, value: unknown, range: KnobRange, model: string): string | undefined {
  const values = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.values(value) : [value];
  for (const item of values) {
    const bad = typeof item !== 'number' || !Number.isFinite(item) || item < range.min || item > range.max || (range.integer === true && !Number.isInteger(item));
    if (!bad) continue;
    if (range.min === range.max) return `${model} accepts only the default ${field} (${range.min}); got ${formatValue(item)}`;
    const kind = range.integer ? 'an integer' : 'a number';
    return `${field} = ${formatValue(item)} is out of range for ${model}: expected ${kind} in [${range.min}, ${range.max}]`;
  }
  return undefined;
}
