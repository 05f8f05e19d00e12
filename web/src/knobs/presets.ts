import { ENGINE_NAMES, engineDefaultChain, type EngineName, getProfile, type StageSpec } from 'creativity-knobs';

/** The engines with a preset: every profile but our own (that is `custom`). */
const ENGINE_PRESETS = ENGINE_NAMES.filter((name): name is Exclude<EngineName, 'knobs'> => name !== 'knobs');

/** The presets of the preset bar. */
export const PRESET_IDS = ['custom', ...ENGINE_PRESETS, 'openai', 'anthropic'] as const;
export type PresetId = 'custom' | Exclude<EngineName, 'knobs'> | 'openai' | 'anthropic';

/** A limit a provider puts on one parameter (`'temperature.t'`). */
export interface ProviderLimit {
  readonly min: number;
  readonly max: number;
  /** The request field's name at that provider (`frequency_penalty`); absent when the provider has none. */
  readonly field?: string;
  /** Why a value is fixed (the provider has no such setting). */
  readonly note?: string;
}

/**
 * An engine or provider preset: the engine profile whose semantics apply, the chain the
 * engine uses by default, and for remote APIs the samplers and ranges they accept. A
 * preset with `allowed` restricts the chain to those samplers and clamps every value
 * into `limits`; its order is the provider's and cannot be edited.
 */
export interface Preset {
  readonly id: PresetId;
  readonly title: string;
  readonly engine: EngineName;
  readonly chain: readonly StageSpec[];
  readonly note: string;
  readonly allowed?: readonly string[];
  /** `sampler.parameter` (`sampler.*` for every value of an object parameter) → accepted range; min = max is fixed. */
  readonly limits?: Readonly<Record<string, ProviderLimit>>;
}

/**
 * An engine's preset: what it applies when nothing is set, in its default order, as the
 * samplers' definitions declare it (`engineDefaultChain`).
 */
function enginePreset(name: Exclude<EngineName, 'knobs'>): Preset {
  const profile = getProfile(name);
  const chain = engineDefaultChain(profile);
  const order = chain.map((stage) => Object.keys(stage)[0]).join('; ');
  return { id: name, title: profile.title, engine: name, chain, note: `${profile.title} defaults, in its sampler order (${order}); sampling when nothing is set: ${profile.samplingByDefault}.` };
}

/**
 * The presets. Engines' defaults come from the samplers' definitions (each sampler's
 * `preset` per engine); the API presets follow the request fields and ranges of the OpenAI
 * Chat Completions and Anthropic Messages APIs.
 */
export const PRESETS: Readonly<Record<PresetId, Preset>> = {
  custom: {
    id: 'custom',
    title: 'Custom',
    engine: 'knobs',
    chain: [{ top_k: 40 }, { top_p: 0.95 }, { min_p: 0.05 }, { temperature: 0.8 }],
    note: 'Any sampler, any order, the knobs profile (documented semantics).',
  },
  ...(Object.fromEntries(ENGINE_PRESETS.map((name) => [name, enginePreset(name)])) as Record<Exclude<EngineName, 'knobs'>, Preset>),
  openai: {
    id: 'openai',
    title: 'OpenAI API',
    engine: 'knobs',
    chain: [{ logit_bias: {} }, { penalties: { repeat: 1, frequency: 0, presence: 0, last_n: -1 } }, { temperature: 1 }, { top_p: 1 }],
    allowed: ['logit_bias', 'penalties', 'temperature', 'top_p'],
    limits: {
      'temperature.t': { min: 0, max: 2, field: 'temperature' },
      'top_p.p': { min: 0, max: 1, field: 'top_p' },
      'penalties.frequency': { min: -2, max: 2, field: 'frequency_penalty' },
      'penalties.presence': { min: -2, max: 2, field: 'presence_penalty' },
      'penalties.repeat': { min: 1, max: 1, note: 'the API has no repetition penalty' },
      'penalties.last_n': { min: -1, max: -1, note: 'penalties count every token so far' },
      'logit_bias.*': { min: -100, max: 100, field: 'logit_bias' },
    },
    note: 'Chat Completions accepts temperature [0, 2], top_p [0, 1], frequency_penalty and presence_penalty [-2, 2], logit_bias [-100, 100]. The order inside the API is not documented.',
  },
  anthropic: {
    id: 'anthropic',
    title: 'Anthropic API',
    engine: 'knobs',
    chain: [{ top_k: 0 }, { top_p: 1 }, { temperature: 1 }],
    allowed: ['top_k', 'top_p', 'temperature'],
    limits: {
      'temperature.t': { min: 0, max: 1, field: 'temperature' },
      'top_p.p': { min: 0, max: 1, field: 'top_p' },
      'top_k.k': { min: 0, max: 500, field: 'top_k' },
    },
    note: 'Messages accepts temperature [0, 1] (default 1), top_p [0, 1] and top_k ≥ 0 (unset by default). Recent models take temperature or top_p, not both. The order inside the API is not documented.',
  },
};

/** A preset by id, or `custom` for an unknown id (e.g. from an old URL). */
export function getPreset(id: string | null | undefined): Preset {
  return (PRESETS as Record<string, Preset | undefined>)[id ?? ''] ?? PRESETS.custom;
}
