import { ChainSpecError, formatValue } from '../core/errors.js';
import { samplerDefinition, type StageParameters } from './registry.js';

/** One element of a chain as written: `{ "top_k": 40 }` or `{ "top_p": { "p": 0.9, "min_keep": 2 } }`. */
export type StageSpec = Record<string, number | boolean | Record<string, unknown>>;
/** A chain as written: an ordered array of single-key objects (DESIGN.md). */
export type ChainSpec = readonly StageSpec[];

/** A stage after parsing: the sampler's name and its named parameters. */
export interface ParsedStage {
  readonly name: string;
  readonly parameters: StageParameters;
}

/**
 * Parses a chain from its JSON array form, its compact string form
 * (`top_k=40,top_p=0.95,temperature=0.8`; a value may itself be JSON, e.g.
 * `logit_bias={"5":-100}`) or a string holding the JSON array (starts with `[`).
 * Checks sampler names and parameter names; the values are checked when the samplers
 * are built. Throws `ChainSpecError` with the offending text.
 *
 * @example
 * parseChain('top_k=40,temperature=0.8');
 * // [{ name: 'top_k', parameters: { k: 40 } }, { name: 'temperature', parameters: { t: 0.8 } }]
 */
export function parseChain(input: string | ChainSpec | unknown): ParsedStage[] {
  if (typeof input === 'string') return parseChainString(input);
  if (!Array.isArray(input)) {
    throw new ChainSpecError(`chain = ${formatValue(input)} is not a chain: expected an array of single-key objects such as [{"top_p": 0.9}]`);
  }
  return input.map((stage, index) => parseStage(stage, index));
}

function parseChainString(text: string): ParsedStage[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  if (trimmed.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      throw new ChainSpecError(`chain ${formatValue(trimmed)} is not valid JSON: ${(error as Error).message}`);
    }
    return parseChain(value);
  }
  return splitTopLevel(trimmed).map((part, index) => {
    const equals = part.indexOf('=');
    const name = (equals < 0 ? part : part.slice(0, equals)).trim();
    const valueText = equals < 0 ? undefined : part.slice(equals + 1).trim();
    let value: unknown = true;
    if (valueText !== undefined) {
      if (valueText === '') throw new ChainSpecError(`chain stage ${index + 1} ${formatValue(part)} has no value after "="`);
      value = parseValue(valueText, part);
    }
    return parseStage({ [name]: value }, index);
  });
}

function parseValue(text: string, part: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text.startsWith('{') || text.startsWith('[')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ChainSpecError(`chain stage ${formatValue(part)}: value ${formatValue(text)} is not valid JSON`);
    }
  }
  const number = Number(text);
  if (!Number.isFinite(number) && text !== 'Infinity' && text !== '-Infinity') {
    throw new ChainSpecError(`chain stage ${formatValue(part)}: value ${formatValue(text)} is not a number`);
  }
  return number;
}

/** Splits on commas that are not inside braces, brackets or quotes. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') depth--;
    else if (char === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => part.trim()).filter((part, index, all) => part !== '' || all.length === 1);
}

/**
 * Parses one element of a chain (`index` counts from 0 and appears in messages from 1).
 *
 * @example
 * parseStage({ top_p: 0.9 }, 0); // { name: 'top_p', parameters: { p: 0.9 } }
 */
export function parseStage(stage: unknown, index: number): ParsedStage {
  const where = `chain stage ${index + 1}`;
  if (stage === null || typeof stage !== 'object' || Array.isArray(stage)) {
    throw new ChainSpecError(`${where} = ${formatValue(stage)}: expected a single-key object such as {"top_p": 0.9}`);
  }
  const keys = Object.keys(stage);
  if (keys.length !== 1) {
    throw new ChainSpecError(`${where} = ${formatValue(stage)} has ${keys.length} keys: expected exactly one sampler name`);
  }
  const name = keys[0] as string;
  const definition = samplerDefinition(name);
  const value = (stage as Record<string, unknown>)[name];
  const parameters: StageParameters = {};
  const names = definition.parameters.map((parameter) => parameter.name);
  if (typeof value === 'number') {
    const first = names[0];
    if (first === undefined) throw new ChainSpecError(`${where}: ${name} takes no number (write {"${name}": true})`);
    parameters[first] = value;
  } else if (typeof value === 'boolean') {
    if (definition.parameters.length > 0 && value) {
      throw new ChainSpecError(`${where}: ${name} = true needs a value: expected a number or an object of ${names.join(', ')}`);
    }
    if (!value) throw new ChainSpecError(`${where}: ${name} = false: leave the stage out instead`);
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value) && definition.objectIsValue) {
    parameters[names[0] as string] = value;
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, parameter] of Object.entries(value)) {
      if (!names.includes(key)) {
        throw new ChainSpecError(`${where}: ${name} has no parameter ${JSON.stringify(key)}: expected ${names.join(', ') || 'none'}`);
      }
      parameters[key] = parameter;
    }
  } else {
    throw new ChainSpecError(`${where}: ${name} = ${formatValue(value)}: expected a number or an object of ${names.join(', ')}`);
  }
  return { name, parameters };
}

/**
 * Builds a chain from flag-style settings (`{ top_p: 0.9, temperature: 0.7 }`), ordered by
 * an engine's default order. Names not in that order go last, in the order given.
 *
 * @example
 * chainFromSettings({ temperature: 0.7, top_k: 40 }, ['top_k', 'temperature']);
 * // [{ top_k: 40 }, { temperature: 0.7 }]
 */
export function chainFromSettings(settings: Record<string, number | boolean | Record<string, unknown>>, order: readonly string[]): StageSpec[] {
  const names = Object.keys(settings);
  const rank = (name: string): number => {
    const position = order.indexOf(name);
    return position < 0 ? order.length + names.indexOf(name) : position;
  };
  return names.sort((a, b) => rank(a) - rank(b)).map((name) => ({ [name]: settings[name] as StageSpec[string] }));
}
