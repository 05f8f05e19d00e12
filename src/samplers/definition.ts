import { InvalidParameterError } from '../core/errors.js';
import type { EngineName, EngineProfile } from './profiles.js';
import type { FastForm } from './fast/row.js';
import type { Sampler } from './sampler.js';

/** An interval of allowed values; both ends inclusive unless marked open. */
export interface Interval {
  readonly min: number;
  readonly max: number;
  readonly minOpen?: boolean;
  readonly maxOpen?: boolean;
}

/**
 * What a parameter holds: a number, an integer, a map token id → bias (`logit_bias`), a
 * list of token ids, a list of token-id sequences (`bad_words`), or DRY's sequence breakers
 * (token ids or sequences of them).
 */
export type ParameterKind = 'number' | 'integer' | 'token-bias' | 'token-ids' | 'token-sequences';

/** How the playground edits a parameter: a slider, or JSON text for lists and maps. */
export interface ParameterControl {
  readonly min: number;
  readonly max: number;
  readonly step: number;
  /** Value given when the stage is added to the chain (default: the parameter's default). */
  readonly initial?: number;
  /** A fixed set of values (mirostat's version). */
  readonly options?: readonly number[];
}

/**
 * One parameter of a sampler, declared once in the sampler's file. The CLI's knob flags,
 * the server's request fields, the playground's controls and the engine table read it.
 */
export interface ParameterSpec {
  /** The name in the chain form (`{"top_p": {"p": 0.9, "min_keep": 2}}`). */
  readonly name: string;
  readonly kind: ParameterKind;
  /** Value when not given: a constant, or read from the engine profile (min_keep). */
  readonly default: unknown | ((profile: EngineProfile) => unknown);
  /** Values accepted under the `knobs` profile (an engine may accept more or fewer: its sampler says). */
  readonly range?: Interval;
  /**
   * The value at which this parameter alone leaves the distribution unchanged (top_p 1,
   * min_p 0): a stage built from request fields or flags whose every parameter is neutral
   * is left out. `atOrBelow`: every value <= `neutral` is neutral too (top_k 0 and -1).
   * A parameter without `neutral` never makes a stage live on its own (xtc's threshold).
   */
  readonly neutral?: number;
  readonly atOrBelow?: boolean;
  /** One line for help texts and the playground. */
  readonly hint: string;
  /** How the playground edits it; absent for list and map parameters (JSON text). */
  readonly control?: ParameterControl;
  /** Not set when the stage is added in the playground: the engine's default applies until the user moves it. */
  readonly optional?: boolean;
  /** Request field of OpenAI-compatible servers that sets it (`top_p`, `repetition_penalty`), then aliases. */
  readonly fields?: readonly string[];
  /** Command-line flag that sets it without `--chain` (`top-p` for `--top-p`). */
  readonly flag?: string;
  /**
   * How a request field of strings becomes this parameter's value, given the served model's
   * tokenizer (`bad_words`: each word gives one or two token sequences, as vLLM tokenizes
   * it). Absent: each string is encoded into one sequence (DRY's breakers).
   */
  readonly fromText?: (texts: readonly string[], encode: (text: string) => number[]) => unknown;
}

/** A sampler's place in one engine. */
export interface EngineEntry {
  /** Rank in the engine's default order for flag-style settings (ascending). */
  readonly order: number;
  /** The engine's own defaults of this sampler's parameters, where they differ from the parameter's default. */
  readonly defaults?: Readonly<Record<string, unknown>>;
  /** What the engine applies when nothing is set (llama.cpp's top_k 40), as a chain value; absent: off. */
  readonly preset?: number | true | Readonly<Record<string, unknown>>;
}

/**
 * Everything about one kind of sampler, declared in the sampler's own file: its name, its
 * parameters, the engines that have it and where each puts it, and the factory that
 * builds it from resolved parameters under an engine profile.
 */
export interface SamplerDefinition<P = Record<string, unknown>> {
  readonly name: string;
  /** One line: what it does. */
  readonly summary: string;
  /** Parameters; the first is the one the number form sets. Empty: the stage is written `true`. */
  readonly parameters: readonly ParameterSpec[];
  /** The object form is the value of the first parameter itself (logit_bias: id → bias). */
  readonly objectIsValue?: boolean;
  /** The sampler chooses the token itself (greedy, mirostat): the chain's final draw then has one candidate. */
  readonly selects?: boolean;
  /** The engines that have this sampler, keyed by profile name. */
  readonly engines: Readonly<Partial<Record<EngineName, EngineEntry>>>;
  /** Builds the sampler from every parameter resolved (`resolveParameters`) and the profile's rules. */
  create(parameters: P, profile: EngineProfile): Sampler;
  /**
   * The sampler's fast form (`src/samplers/fast/`): the same rule run on a whole row in the
   * kernel's memory, or the reason it has none under this profile (vLLM's `forward_native` /
   * `forward_cuda` siblings; the eligibility is this one decision). Absent: never fast.
   *
   * @internal The fast forms work on the kernel's memory and are not part of the public API.
   */
  fast?(parameters: P, profile: EngineProfile): FastForm;
}

/**
 * Declares a sampler; `P` types the resolved parameters its factory receives.
 *
 * @example
 * export const greedy = defineSampler({ name: 'greedy', summary: 'keep the most likely token', parameters: [], engines: { knobs: { order: 150 } }, create: () => greedySampler() });
 */
export function defineSampler<P>(definition: SamplerDefinition<P>): SamplerDefinition {
  return definition as unknown as SamplerDefinition;
}

/**
 * Every parameter of a stage with its value: given, else the engine's own default for this
 * sampler, else the parameter's default. The one place where defaults are resolved.
 *
 * @example
 * resolveParameters(samplerDefinition('penalties'), { repeat: 1.1 }, getProfile('llama.cpp'));
 * // { repeat: 1.1, frequency: 0, presence: 0, last_n: 64 }
 */
export function resolveParameters(definition: SamplerDefinition, given: Readonly<Record<string, unknown>>, profile: EngineProfile): Record<string, unknown> {
  const resolved: Record<string, unknown> = {};
  const engineDefaults = definition.engines[profile.name]?.defaults;
  for (const spec of definition.parameters) {
    const value = given[spec.name];
    resolved[spec.name] = value !== undefined ? value : engineDefaults?.[spec.name] !== undefined ? engineDefaults[spec.name] : parameterDefault(spec, profile);
  }
  return resolved;
}

/**
 * A parameter's own default under a profile (without the engine's sampler-specific default).
 *
 * @example
 * parameterDefault(MIN_KEEP, getProfile('llama.cpp')); // 0 (llama.cpp's min_keep)
 */
export function parameterDefault(spec: ParameterSpec, profile: EngineProfile): unknown {
  return typeof spec.default === 'function' ? (spec.default as (profile: EngineProfile) => unknown)(profile) : spec.default;
}

/**
 * Checks a finite number against a parameter's range (and integrality), naming the parameter as
 * `sampler.parameter`; `note` is added to the allowed range (the engine's reason).
 *
 * @example
 * checkParameter('top_p', P, 1.5); // throws InvalidParameterError: top_p.p = 1.5 ... a number in [0, 1]
 */
export function checkParameter(sampler: string, spec: ParameterSpec, value: unknown, range: Interval | undefined = spec.range, note = ''): number {
  const integer = spec.kind === 'integer';
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!integer || Number.isSafeInteger(value)) &&
    (range === undefined || ((range.minOpen ? value > range.min : value >= range.min) && (range.maxOpen ? value < range.max : value <= range.max)));
  if (!ok) throw new InvalidParameterError(`${sampler}.${spec.name}`, value, `${describeRange(range, integer)}${note ? ` ${note}` : ''}`);
  return value as number;
}

/**
 * The allowed values in words: `a number in [0, 1]`, `an integer >= 0`, `a number in (0, 1]`.
 *
 * @example
 * describeRange({ min: 0, max: Infinity }, true); // 'an integer >= 0'
 */
export function describeRange(range: Interval | undefined, integer = false): string {
  const noun = integer ? 'an integer' : 'a number';
  if (range === undefined) return integer ? 'an integer' : 'a finite number';
  const { min, max } = range;
  if (max === Infinity && min === -Infinity) return integer ? 'an integer' : 'a finite number';
  if (max === Infinity) return `${integer ? noun : 'a finite number'} ${range.minOpen ? '>' : '>='} ${min}`;
  if (min === -Infinity) return `${noun} ${range.maxOpen ? '<' : '<='} ${max}`;
  return `${noun} in ${range.minOpen ? '(' : '['}${min}, ${max}${range.maxOpen ? ')' : ']'}`;
}

/**
 * Whether a parameter's value alone switches its sampler on (see `ParameterSpec.neutral`).
 *
 * @example
 * isLive(topKDefinition.parameters[0], 0); // false: k = 0 disables top-k
 */
export function isLive(spec: ParameterSpec, value: number): boolean {
  if (spec.neutral === undefined) return false;
  return spec.atOrBelow ? value > spec.neutral : value !== spec.neutral;
}

/** The shared `min_keep` parameter of the truncation samplers: default from the engine profile. */
export const MIN_KEEP: ParameterSpec = {
  name: 'min_keep',
  kind: 'integer',
  default: (profile: EngineProfile) => profile.minKeep,
  range: { min: 0, max: Infinity },
  hint: 'never keep fewer than this many tokens',
  control: { min: 0, max: 20, step: 1, initial: 1 },
  optional: true,
};
