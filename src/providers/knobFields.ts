import { InvalidParameterError } from '../core/errors.js';
import { getProfile } from '../samplers/profiles.js';
import { chainFromSettings, parseChain, type ChainSpec, type StageSpec } from '../samplers/spec.js';
import type { KnobSettings } from './types.js';

/**
 * One request field that sets a knob, and the parameter of the chain stage it sets. The
 * names are those of the OpenAI API and the engines with OpenAI-compatible servers (vLLM,
 * llama.cpp server, transformers), so that any of their clients can send them as extra
 * body fields.
 */
export interface KnobField {
  readonly field: string;
  readonly sampler: string;
  readonly parameter: string;
  readonly kind: 'number' | 'map' | 'strings';
  /** The value that leaves the distribution unchanged: a stage whose fields are all neutral is left out. */
  readonly neutral?: (value: number) => boolean;
  /** Another field that means the same (llama.cpp's `repeat_penalty` for `repetition_penalty`). */
  readonly aliasOf?: string;
}

const zero = (value: number): boolean => value === 0;
const one = (value: number): boolean => value === 1;
const nonPositive = (value: number): boolean => value <= 0;

/** Every knob field, in no particular order (the engine profile orders the stages). */
export const KNOB_FIELDS: readonly KnobField[] = [
  { field: 'temperature', sampler: 'temperature', parameter: 't', kind: 'number' },
  { field: 'top_k', sampler: 'top_k', parameter: 'k', kind: 'number', neutral: nonPositive },
  { field: 'top_p', sampler: 'top_p', parameter: 'p', kind: 'number', neutral: one },
  { field: 'min_p', sampler: 'min_p', parameter: 'p', kind: 'number', neutral: zero },
  { field: 'typical_p', sampler: 'typical_p', parameter: 'p', kind: 'number', neutral: one },
  { field: 'top_n_sigma', sampler: 'top_n_sigma', parameter: 'n', kind: 'number', neutral: nonPositive },
  { field: 'epsilon_cutoff', sampler: 'epsilon', parameter: 'epsilon', kind: 'number', neutral: zero },
  { field: 'eta_cutoff', sampler: 'eta', parameter: 'eta', kind: 'number', neutral: zero },
  { field: 'xtc_probability', sampler: 'xtc', parameter: 'probability', kind: 'number', neutral: zero },
  { field: 'xtc_threshold', sampler: 'xtc', parameter: 'threshold', kind: 'number', neutral: () => true },
  { field: 'repetition_penalty', sampler: 'penalties', parameter: 'repeat', kind: 'number', neutral: one },
  { field: 'repeat_penalty', sampler: 'penalties', parameter: 'repeat', kind: 'number', neutral: one, aliasOf: 'repetition_penalty' },
  { field: 'frequency_penalty', sampler: 'penalties', parameter: 'frequency', kind: 'number', neutral: zero },
  { field: 'presence_penalty', sampler: 'penalties', parameter: 'presence', kind: 'number', neutral: zero },
  { field: 'repeat_last_n', sampler: 'penalties', parameter: 'last_n', kind: 'number', neutral: () => true },
  { field: 'penalty_last_n', sampler: 'penalties', parameter: 'last_n', kind: 'number', neutral: () => true, aliasOf: 'repeat_last_n' },
  { field: 'dry_multiplier', sampler: 'dry', parameter: 'multiplier', kind: 'number', neutral: zero },
  { field: 'dry_base', sampler: 'dry', parameter: 'base', kind: 'number', neutral: () => true },
  { field: 'dry_allowed_length', sampler: 'dry', parameter: 'allowed_length', kind: 'number', neutral: () => true },
  { field: 'dry_penalty_last_n', sampler: 'dry', parameter: 'last_n', kind: 'number', neutral: () => true },
  { field: 'dry_sequence_breakers', sampler: 'dry', parameter: 'breakers', kind: 'strings' },
  { field: 'no_repeat_ngram_size', sampler: 'no_repeat_ngram', parameter: 'n', kind: 'number', neutral: nonPositive },
  { field: 'dynatemp_range', sampler: 'dynatemp', parameter: 'range', kind: 'number', neutral: zero },
  { field: 'dynatemp_exponent', sampler: 'dynatemp', parameter: 'exponent', kind: 'number', neutral: () => true },
  { field: 'mirostat', sampler: 'mirostat', parameter: 'version', kind: 'number', neutral: zero },
  { field: 'mirostat_tau', sampler: 'mirostat', parameter: 'tau', kind: 'number', neutral: () => true },
  { field: 'mirostat_eta', sampler: 'mirostat', parameter: 'eta', kind: 'number', neutral: () => true },
  { field: 'logit_bias', sampler: 'logit_bias', parameter: 'bias', kind: 'map' },
];

const BY_FIELD = new Map(KNOB_FIELDS.map((entry) => [entry.field, entry]));

/**
 * Whether `name` is a knob field.
 *
 * @example
 * isKnobField('min_p'); // true
 */
export function isKnobField(name: string): boolean {
  return BY_FIELD.has(name);
}

/** A chain built from knob fields, with the fields behind each stage (for error messages). */
export interface FieldChain {
  readonly chain: StageSpec[];
  /** `fields[i]` lists the request fields that made `chain[i]`. */
  readonly fields: string[][];
}

/**
 * Builds a chain from flag-style request fields, ordered by the engine profile's default
 * order (`knobs`: penalties, top-k, top-p, min-p, ..., temperature). Fields that belong to
 * one sampler make one stage (`repetition_penalty` + `frequency_penalty` → `penalties`);
 * a stage whose fields all have their neutral value is left out, so `top_p: 1` or
 * `frequency_penalty: 0` need no sampler. `temperature` becomes the `t` of `dynatemp` when
 * `dynatemp_range > 0`. String lists (`dry_sequence_breakers`) become lists of token-id
 * sequences when `options.encode` (the model's tokenizer) is given. Fields that are not
 * knobs are ignored. Throws
 * `InvalidParameterError` naming the field when a value has the wrong type.
 *
 * @example
 * chainFromKnobFields({ temperature: 0.7, top_k: 40, frequency_penalty: 0 }).chain;
 * // [{ top_k: { k: 40 } }, { temperature: { t: 0.7 } }]
 */
export function chainFromKnobFields(settings: KnobSettings, engine = 'knobs', options: { encode?: (text: string) => number[] } = {}): FieldChain {
  const stages = new Map<string, { parameters: Record<string, unknown>; fields: string[]; live: boolean }>();
  for (const [field, value] of Object.entries(settings)) {
    const spec = BY_FIELD.get(field);
    if (!spec || value === undefined || value === null) continue;
    checkFieldType(spec, value);
    const canonical = spec.aliasOf ?? spec.field;
    if (spec.aliasOf !== undefined && settings[spec.aliasOf] !== undefined && settings[spec.aliasOf] !== null) {
      throw new InvalidParameterError(field, value, `only one of ${field} and ${canonical} (they mean the same)`);
    }
    const stage = stages.get(spec.sampler) ?? { parameters: {}, fields: [], live: false };
    stage.parameters[spec.parameter] = spec.kind === 'strings' && options.encode ? (value as string[]).map((text) => options.encode?.(text) ?? []) : value;
    stage.fields.push(field);
    const live = spec.kind === 'map' ? Object.keys(value as object).length > 0 : spec.kind === 'number' && !(spec.neutral?.(value as number) ?? false);
    stage.live = stage.live || live;
    stages.set(spec.sampler, stage);
  }
  const dynatemp = stages.get('dynatemp');
  const temperature = stages.get('temperature');
  if (dynatemp?.live) {
    dynatemp.parameters.t = temperature?.parameters.t ?? 1;
    if (temperature) dynatemp.fields.unshift('temperature');
    stages.delete('temperature');
  }
  const settingsBySampler: Record<string, Record<string, unknown>> = {};
  const fieldsBySampler = new Map<string, string[]>();
  for (const [sampler, stage] of stages) {
    if (!stage.live) continue;
    settingsBySampler[sampler] = sampler === 'logit_bias' ? (stage.parameters.bias as Record<string, unknown>) : stage.parameters;
    fieldsBySampler.set(sampler, stage.fields);
  }
  const chain = chainFromSettings(settingsBySampler as Record<string, Record<string, unknown>>, getProfile(engine).defaultOrder);
  return { chain, fields: chain.map((stage) => fieldsBySampler.get(Object.keys(stage)[0] as string) ?? []) };
}

function checkFieldType(spec: KnobField, value: unknown): void {
  if (spec.kind === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidParameterError(spec.field, value, 'a finite number');
  } else if (spec.kind === 'strings') {
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
      throw new InvalidParameterError(spec.field, value, 'an array of strings');
    }
  } else if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidParameterError(spec.field, value, 'an object of token id → number');
  } else {
    for (const [key, bias] of Object.entries(value)) {
      if (!/^\d+$/.test(key)) throw new InvalidParameterError(`${spec.field} key`, key, 'a token id (an integer >= 0, as a string)');
      if (typeof bias !== 'number' || !Number.isFinite(bias)) throw new InvalidParameterError(`${spec.field}[${key}]`, bias, 'a finite number');
    }
  }
}

/** A chain translated into request fields, with the stages that fields cannot express. */
export interface ChainFields {
  readonly fields: Record<string, unknown>;
  /** `chain[i]: reason` for every stage no field can express. */
  readonly unexpressible: { readonly parameter: string; readonly value: unknown; readonly reason: string }[];
}

const REVERSE: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  temperature: { t: 'temperature' },
  top_k: { k: 'top_k' },
  top_p: { p: 'top_p' },
  min_p: { p: 'min_p' },
  typical_p: { p: 'typical_p' },
  top_n_sigma: { n: 'top_n_sigma' },
  epsilon: { epsilon: 'epsilon_cutoff' },
  eta: { eta: 'eta_cutoff' },
  xtc: { threshold: 'xtc_threshold', probability: 'xtc_probability' },
  penalties: { repeat: 'repetition_penalty', frequency: 'frequency_penalty', presence: 'presence_penalty', last_n: 'repeat_last_n' },
  dry: { multiplier: 'dry_multiplier', base: 'dry_base', allowed_length: 'dry_allowed_length', last_n: 'dry_penalty_last_n', breakers: 'dry_sequence_breakers' },
  no_repeat_ngram: { n: 'no_repeat_ngram_size' },
  dynatemp: { t: 'temperature', range: 'dynatemp_range', exponent: 'dynatemp_exponent' },
  mirostat: { version: 'mirostat', tau: 'mirostat_tau', eta: 'mirostat_eta' },
  logit_bias: { bias: 'logit_bias' },
};

/**
 * Translates a chain into request fields for a remote engine, which applies its knobs in
 * its own fixed order. A stage with a parameter no field carries (`min_keep`), a sampler
 * that appears twice, or a sampler without a field is reported in `unexpressible`;
 * `greedy` becomes `temperature: 0`.
 *
 * @example
 * knobFieldsFromChain('top_k=40,temperature=0.8').fields; // { top_k: 40, temperature: 0.8 }
 */
export function knobFieldsFromChain(chain: ChainSpec | string): ChainFields {
  const fields: Record<string, unknown> = {};
  const unexpressible: ChainFields['unexpressible'][number][] = [];
  parseChain(chain).forEach((stage, index) => {
    const where = `chain[${index}]`;
    const value = { [stage.name]: stage.parameters };
    if (stage.name === 'greedy') {
      if ('temperature' in fields) unexpressible.push({ parameter: where, value, reason: 'greedy after a temperature cannot be sent as request fields' });
      else fields.temperature = 0;
      return;
    }
    const names = REVERSE[stage.name];
    if (!names) {
      unexpressible.push({ parameter: where, value, reason: `sampler ${stage.name} has no request field` });
      return;
    }
    const parameters = stage.name === 'logit_bias' ? { bias: stage.parameters.bias ?? Object.values(stage.parameters)[0] } : stage.parameters;
    for (const [parameter, parameterValue] of Object.entries(parameters)) {
      const field = names[parameter];
      if (!field) {
        unexpressible.push({ parameter: `${where}.${stage.name}.${parameter}`, value: parameterValue, reason: `${stage.name}.${parameter} has no request field` });
      } else if (field in fields) {
        unexpressible.push({ parameter: where, value, reason: `${field} is set twice (a remote engine applies each knob once, in its own order)` });
      } else {
        fields[field] = parameterValue;
      }
    }
  });
  return { fields, unexpressible };
}
