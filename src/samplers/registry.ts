import { ChainSpecError } from '../core/errors.js';
import { greedySampler } from './greedy.js';
import { minPSampler } from './minP.js';
import type { EngineProfile } from './profiles.js';
import type { Sampler } from './sampler.js';
import { temperatureSampler } from './temperature.js';
import { topKSampler } from './topK.js';
import { topPSampler } from './topP.js';

/** Parameters of one stage after parsing: parameter name → value. */
export type StageParameters = Record<string, unknown>;

/** How to build one kind of sampler from its parameters under an engine profile. */
export interface SamplerDefinition {
  readonly name: string;
  /** Parameter names; the first is the one the number form sets. Empty: takes `true`. */
  readonly parameters: readonly string[];
  readonly summary: string;
  /** The object form is the value of the first parameter itself (logit_bias: id → bias). */
  readonly objectIsValue?: boolean;
  create(parameters: StageParameters, profile: EngineProfile): Sampler;
}

const num = (parameters: StageParameters, name: string): number | undefined =>
  parameters[name] as number | undefined;

const DEFINITIONS: SamplerDefinition[] = [
  {
    name: 'temperature',
    parameters: ['t'],
    summary: 'divide logits by t; t = 0 is greedy',
    create: (parameters) => temperatureSampler(num(parameters, 't') ?? 1),
  },
  {
    name: 'top_k',
    parameters: ['k', 'min_keep'],
    summary: 'keep the k most likely tokens; k = 0 disables',
    create: (parameters, profile) => topKSampler(num(parameters, 'k') ?? 0, num(parameters, 'min_keep') ?? 0, profile.topKTies),
  },
  {
    name: 'top_p',
    parameters: ['p', 'min_keep'],
    summary: 'keep the smallest prefix whose probability reaches p',
    create: (parameters, profile) => topPSampler(num(parameters, 'p') ?? 1, num(parameters, 'min_keep') ?? profile.minKeep),
  },
  {
    name: 'min_p',
    parameters: ['p', 'min_keep'],
    summary: 'keep tokens with probability >= p x the top probability',
    create: (parameters, profile) => minPSampler(num(parameters, 'p') ?? 0, num(parameters, 'min_keep') ?? profile.minKeep),
  },
  {
    name: 'greedy',
    parameters: [],
    summary: 'keep the most likely token',
    create: () => greedySampler(),
  },
];

const BY_NAME = new Map(DEFINITIONS.map((definition) => [definition.name, definition]));

/** Adds a sampler kind to the registry (used by the sampler modules of later stages). */
export function registerSampler(definition: SamplerDefinition): void {
  BY_NAME.set(definition.name, definition);
}

/** The definition of a sampler by name, or a `ChainSpecError` listing the known names. */
export function samplerDefinition(name: string): SamplerDefinition {
  const definition = BY_NAME.get(name);
  if (!definition) {
    throw new ChainSpecError(`unknown sampler ${JSON.stringify(name)}: expected one of ${[...BY_NAME.keys()].join(', ')}`);
  }
  return definition;
}

/** Every registered sampler definition, in registration order. */
export function samplerDefinitions(): readonly SamplerDefinition[] {
  return [...BY_NAME.values()];
}
