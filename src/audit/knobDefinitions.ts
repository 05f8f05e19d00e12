import { InvalidParameterError } from '../core/errors.js';
import type { Fields } from './types.js';

/** What a knob's settings may depend on: the candidate tokens at the position. */
export interface SettingContext {
  /** Candidate tokens at the position, most likely first, with their ids when the target names them. */
  readonly head: readonly { readonly id?: number }[];
}

/**
 * How the audit tests one knob: the settings it tries (the planner keeps the one whose effect
 * needs the fewest draws), a nearby setting it should also tell apart, the values scanned
 * to say how a knob that fits neither model differs, what the position needs, and whether
 * its effect is the same in every engine (then it is tested even without an engine profile).
 */
export interface KnobDefinition {
  readonly name: string;
  /** The main request field (the one a user's `name=value` sets). */
  readonly field: string;
  /** The setting `name=value` asks for. */
  fromValue(value: number, context: SettingContext): Fields | undefined;
  /** Settings to try, in order of preference. */
  candidates(context: SettingContext): Fields[];
  /** A setting close to `setting` that a careful audit tells apart from it (top_p 0.9 vs 0.95). */
  nearby?(setting: Fields): Fields | undefined;
  /** Settings of the same knob to compare with the draws when neither model fits. */
  scan?(setting: Fields): Fields[];
  /** `text`: any prompt; `token-ids`: the setting names a token id; `prompt-ids`: the effect depends on which tokens the prompt holds. */
  readonly needs: 'text' | 'token-ids' | 'prompt-ids';
  /** Its effect on one token does not depend on engine details (tested even with no engine profile). */
  readonly engineIndependent: boolean;
  /** Its effect depends on the raw logits themselves, not only on the distribution (the repetition penalty divides positive logits and multiplies negative ones). */
  readonly needsRawLogits?: boolean;
  /** Its cut depends on the entropy or the spread of the whole distribution (typical-p, top-n-sigma, eta, dynamic temperature): tested only where the target shows all of it. */
  readonly needsWholeDistribution?: boolean;
}

const range = (from: number, to: number, step: number): number[] => {
  const values: number[] = [];
  for (let i = 0; from + i * step <= to + 1e-9; i++) values.push(Math.round((from + i * step) * 1e6) / 1e6);
  return values;
};

/** A knob set by one number field. */
function numberKnob(options: {
  name: string;
  field?: string;
  values: readonly number[];
  nearby?: (value: number) => number | undefined;
  scan: readonly number[];
  needs?: KnobDefinition['needs'];
  engineIndependent: boolean;
  check?: (value: number) => string | undefined;
  extra?: Fields;
  needsRawLogits?: boolean;
  needsWholeDistribution?: boolean;
}): KnobDefinition {
  const field = options.field ?? options.name;
  const setting = (value: number): Fields => ({ ...(options.extra ?? {}), [field]: value });
  return {
    name: options.name,
    field,
    fromValue: (value) => {
      const problem = options.check?.(value);
      if (problem !== undefined) throw new InvalidParameterError(`--knobs ${options.name}`, value, problem);
      return setting(value);
    },
    candidates: () => options.values.map(setting),
    ...(options.nearby ? { nearby: (fields: Fields) => {
      const value = options.nearby?.(fields[field] as number);
      return value === undefined ? undefined : setting(value);
    } } : {}),
    scan: () => options.scan.map(setting),
    needs: options.needs ?? 'text',
    engineIndependent: options.engineIndependent,
    ...(options.needsRawLogits ? { needsRawLogits: true } : {}),
    ...(options.needsWholeDistribution ? { needsWholeDistribution: true } : {}),
  };
}

const probability = (value: number): string | undefined => (value >= 0 && value <= 1 ? undefined : 'a number in [0, 1]');
const positive = (value: number): string | undefined => (value > 0 ? undefined : 'a number > 0');

/** `logit_bias`: an additive bias on one candidate token (needs token ids). */
const logitBias: KnobDefinition = {
  name: 'logit_bias',
  field: 'logit_bias',
  fromValue: (value, context) => {
    if (!Number.isFinite(value) || value < -100 || value > 100) throw new InvalidParameterError('--knobs logit_bias', value, 'a bias in [-100, 100] (the audit picks the token)');
    const id = (value >= 0 ? context.head[2] : context.head[0])?.id;
    return id === undefined ? undefined : { logit_bias: { [String(id)]: value } };
  },
  candidates: (context) => {
    const settings: Fields[] = [];
    const third = context.head[2]?.id;
    const first = context.head[0]?.id;
    if (third !== undefined) settings.push({ logit_bias: { [String(third)]: 3 } });
    if (first !== undefined) settings.push({ logit_bias: { [String(first)]: -3 } });
    return settings;
  },
  nearby: (setting) => {
    const [id, bias] = Object.entries(setting.logit_bias as Record<string, number>)[0] ?? [];
    return id === undefined || bias === undefined ? undefined : { logit_bias: { [id]: bias + 1 } };
  },
  scan: (setting) => {
    const [id] = Object.keys(setting.logit_bias as Record<string, number>);
    return id === undefined ? [] : range(-10, 10, 0.25).map((bias) => ({ logit_bias: { [id]: bias } }));
  },
  needs: 'token-ids',
  engineIndependent: true,
};

const DEFINITIONS: readonly KnobDefinition[] = [
  numberKnob({ name: 'temperature', values: [0.3, 0.5, 0.7, 1.5], nearby: (t) => t + 0.1, scan: range(0.05, 3, 0.05), engineIndependent: true, check: positive }),
  numberKnob({ name: 'top_k', values: [2, 3, 4, 5, 8], nearby: (k) => k + 1, scan: range(1, 64, 1), engineIndependent: true, check: (k) => (Number.isInteger(k) && k >= 1 ? undefined : 'an integer >= 1') }),
  numberKnob({ name: 'top_p', values: [0.5, 0.7, 0.8, 0.9], nearby: (p) => (p + 0.05 < 1 ? Math.round((p + 0.05) * 1e6) / 1e6 : undefined), scan: range(0.01, 1, 0.01), engineIndependent: false, check: probability }),
  numberKnob({ name: 'min_p', values: [0.1, 0.2, 0.3, 0.5], nearby: (p) => (p + 0.05 <= 1 ? Math.round((p + 0.05) * 1e6) / 1e6 : undefined), scan: range(0, 1, 0.01), engineIndependent: true, check: probability }),
  numberKnob({ name: 'typical_p', values: [0.5, 0.7, 0.9], nearby: (p) => (p + 0.05 < 1 ? Math.round((p + 0.05) * 1e6) / 1e6 : undefined), scan: range(0.01, 1, 0.01), engineIndependent: false, check: probability , needsWholeDistribution: true }),
  numberKnob({ name: 'top_n_sigma', values: [0.5, 1, 1.5], nearby: (n) => n + 0.25, scan: range(0.05, 4, 0.05), engineIndependent: false, check: positive , needsWholeDistribution: true }),
  numberKnob({ name: 'epsilon_cutoff', values: [0.02, 0.05, 0.1], nearby: (e) => e * 1.5, scan: range(0.005, 0.3, 0.005), engineIndependent: false, check: probability }),
  numberKnob({ name: 'eta_cutoff', values: [0.02, 0.05, 0.1], nearby: (e) => e * 1.5, scan: range(0.005, 0.3, 0.005), engineIndependent: false, check: probability , needsWholeDistribution: true }),
  numberKnob({ name: 'xtc', field: 'xtc_probability', extra: { xtc_threshold: 0.1 }, values: [0.5, 1], nearby: (p) => (p >= 0.3 ? p - 0.25 : p + 0.25), scan: range(0, 1, 0.05), engineIndependent: false, check: probability }),
  numberKnob({ name: 'presence_penalty', values: [1, 2], nearby: (v) => v + 0.5, scan: range(-2, 4, 0.1), needs: 'prompt-ids', engineIndependent: false }),
  numberKnob({ name: 'frequency_penalty', values: [1, 2], nearby: (v) => v + 0.5, scan: range(-2, 4, 0.1), needs: 'prompt-ids', engineIndependent: false }),
  numberKnob({ name: 'repetition_penalty', values: [1.5, 2, 3], nearby: (v) => v + 0.25, scan: range(0.5, 4, 0.05), needs: 'prompt-ids', engineIndependent: false, check: positive, needsRawLogits: true }),
  numberKnob({ name: 'repeat_penalty', values: [1.5, 2, 3], nearby: (v) => v + 0.25, scan: range(0.5, 4, 0.05), needs: 'prompt-ids', engineIndependent: false, check: positive, needsRawLogits: true }),
  numberKnob({ name: 'dry', field: 'dry_multiplier', extra: { dry_base: 2, dry_allowed_length: 1 }, values: [1, 2], nearby: (m) => m + 0.5, scan: range(0, 5, 0.1), needs: 'prompt-ids', engineIndependent: false, check: (m) => (m >= 0 ? undefined : 'a number >= 0') }),
  numberKnob({ name: 'no_repeat_ngram_size', values: [2, 3], scan: range(1, 6, 1), needs: 'prompt-ids', engineIndependent: false, check: (n) => (Number.isInteger(n) && n >= 1 ? undefined : 'an integer >= 1') }),
  numberKnob({ name: 'dynatemp', field: 'dynatemp_range', extra: { temperature: 1, dynatemp_exponent: 1 }, values: [0.5, 0.9], nearby: (r) => r + 0.2, scan: range(0, 2, 0.05), engineIndependent: false, check: (r) => (r >= 0 ? undefined : 'a number >= 0') , needsWholeDistribution: true }),
  numberKnob({ name: 'mirostat', field: 'mirostat_tau', extra: { mirostat: 2, mirostat_eta: 0.1 }, values: [1, 1.5, 2, 3], nearby: (tau) => tau + 0.5, scan: range(0.1, 8, 0.1), engineIndependent: false, check: positive }),
  logitBias,
];

const BY_NAME = new Map(DEFINITIONS.map((definition) => [definition.name, definition]));

/** Knobs that are checked apart from the others (no distribution to compare): `seed`, and temperature 0 (under `temperature`). */
export const CHECK_KNOBS = ['seed'] as const;

/**
 * The audit's definition of a knob by name (`top_p`, `xtc`, `dry`, ...).
 *
 * @example
 * knobDefinition('top_p').nearby?.({ top_p: 0.9 }); // { top_p: 0.95 }
 */
export function knobDefinition(name: string): KnobDefinition {
  const definition = BY_NAME.get(name);
  if (!definition) throw new InvalidParameterError('--knobs', name, `knobs among ${[...BY_NAME.keys(), ...CHECK_KNOBS].join(', ')}`);
  return definition;
}

/**
 * Every knob the audit knows, by name.
 *
 * @example
 * knobNames().includes('mirostat'); // true
 */
export function knobNames(): string[] {
  return [...BY_NAME.keys(), ...CHECK_KNOBS];
}
