import { InvalidParameterError } from '../core/errors.js';
import { isLive, type ParameterSpec } from '../samplers/definition.js';
import { samplerDefinitions } from '../samplers/registry.js';
import { getProfile } from '../samplers/profiles.js';
import { chainFromSettings, parseChain, type ChainSpec, type StageSpec } from '../samplers/spec.js';
import type { KnobSettings } from './types.js';

/**
 * One request field that sets a knob, and the parameter of the chain stage it sets. The
 * names are those of the OpenAI API and the engines with OpenAI-compatible servers (vLLM,
 * llama.cpp server, transformers), so that any of their clients can send them as extra
 * body fields. They are read from the samplers' definitions (`ParameterSpec.fields`).
 */
export interface KnobField {
  readonly field: string;
  readonly sampler: string;
  readonly parameter: string;
  readonly kind: 'number' | 'map' | 'strings' | 'ids';
  /** The declaration of the parameter it sets (range, neutral value, hint). */
  readonly spec: ParameterSpec;
  /** Another field that means the same (llama.cpp's `repeat_penalty` for `repetition_penalty`). */
  readonly aliasOf?: string;
}

const KINDS: Readonly<Record<ParameterSpec['kind'], KnobField['kind']>> = {
  number: 'number',
  integer: 'number',
  'token-bias': 'map',
  'token-sequences': 'strings',
  'token-ids': 'ids',
};

/**
 * Every knob field of every registered sampler, canonical names first then aliases (the
 * engine profile orders the stages, not this list).
 *
 * @example
 * knobFields().find((entry) => entry.field === 'epsilon_cutoff'); // { sampler: 'epsilon', parameter: 'epsilon', ... }
 */
export function knobFields(): readonly KnobField[] {
  const entries: KnobField[] = [];
  for (const definition of samplerDefinitions()) {
    for (const spec of definition.parameters) {
      const [canonical, ...aliases] = spec.fields ?? [];
      if (canonical === undefined) continue;
      const base = { sampler: definition.name, parameter: spec.name, kind: KINDS[spec.kind], spec };
      entries.push({ field: canonical, ...base });
      for (const alias of aliases) entries.push({ field: alias, ...base, aliasOf: canonical });
    }
  }
  return entries;
}

const fieldsByName = (): Map<string, KnobField> => new Map(knobFields().map((entry) => [entry.field, entry]));

/**
 * Whether `name` is a knob field.
 *
 * @example
 * isKnobField('min_p'); // true
 */
export function isKnobField(name: string): boolean {
  return fieldsByName().has(name);
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
  const byField = fieldsByName();
  for (const [field, value] of Object.entries(settings)) {
    const spec = byField.get(field);
    if (!spec || value === undefined || value === null) continue;
    checkFieldType(spec, value);
    const canonical = spec.aliasOf ?? spec.field;
    if (spec.aliasOf !== undefined && settings[spec.aliasOf] !== undefined && settings[spec.aliasOf] !== null) {
      throw new InvalidParameterError(field, value, `only one of ${field} and ${canonical} (they mean the same)`);
    }
    const stage = stages.get(spec.sampler) ?? { parameters: {}, fields: [], live: false };
    stage.parameters[spec.parameter] = spec.kind === 'strings' && options.encode ? fromStrings(spec.spec, value as string[], options.encode) : value;
    stage.fields.push(field);
    const live = spec.kind === 'map' ? Object.keys(value as object).length > 0 : spec.kind === 'ids' ? true : spec.kind === 'strings' ? isMainParameter(spec) && (value as unknown[]).length > 0 : spec.kind === 'number' && isLive(spec.spec, value as number);
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

/** The sampler's first parameter (bad_words' sequences, not DRY's breakers): a non-empty list of it makes the stage live. */
function isMainParameter(field: KnobField): boolean {
  return samplerDefinitions().find((definition) => definition.name === field.sampler)?.parameters[0] === field.spec;
}

/** Strings of a request field as the parameter's value: the parameter's own rule, else one token sequence per string. */
function fromStrings(spec: ParameterSpec, texts: readonly string[], encode: (text: string) => number[]): unknown {
  return spec.fromText ? spec.fromText(texts, encode) : texts.map((text) => encode(text));
}

function checkFieldType(spec: KnobField, value: unknown): void {
  if (spec.kind === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidParameterError(spec.field, value, 'a finite number');
  } else if (spec.kind === 'strings') {
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
      throw new InvalidParameterError(spec.field, value, 'an array of strings');
    }
  } else if (spec.kind === 'ids') {
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'number' || !Number.isInteger(item) || item < 0)) {
      throw new InvalidParameterError(spec.field, value, 'an array of token ids (integers >= 0)');
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

/** The canonical request field of `sampler.parameter`, if it has one (dynatemp's `t` is sent as `temperature`). */
function fieldOf(sampler: string, parameter: string): string | undefined {
  if (sampler === 'dynatemp' && parameter === 't') return 'temperature';
  const definition = samplerDefinitions().find((entry) => entry.name === sampler);
  return definition?.parameters.find((spec) => spec.name === parameter)?.fields?.[0];
}

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
    const definition = samplerDefinitions().find((entry) => entry.name === stage.name);
    if (!definition?.parameters.some((spec) => spec.fields !== undefined)) {
      unexpressible.push({ parameter: where, value, reason: `sampler ${stage.name} has no request field` });
      return;
    }
    const parameters = stage.name === 'logit_bias' ? { bias: stage.parameters.bias ?? Object.values(stage.parameters)[0] } : stage.parameters;
    for (const [parameter, parameterValue] of Object.entries(parameters)) {
      const field = fieldOf(stage.name, parameter);
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
