import { ChainSpecError } from '../core/errors.js';
import { drySampler } from './dry.js';
import { dynatempSampler } from './dynatemp.js';
import { epsilonSampler } from './epsilon.js';
import { etaSampler } from './eta.js';
import { greedySampler } from './greedy.js';
import { logitBiasSampler } from './logitBias.js';
import { minPSampler } from './minP.js';
import { mirostatSampler } from './mirostat.js';
import { noRepeatNgramSampler } from './noRepeatNgram.js';
import { penaltiesSampler } from './penalties.js';
import type { EngineProfile } from './profiles.js';
import type { Sampler } from './sampler.js';
import { temperatureSampler } from './temperature.js';
import { topKSampler } from './topK.js';
import { topNSigmaSampler } from './topNSigma.js';
import { topPSampler } from './topP.js';
import { typicalPSampler } from './typicalP.js';
import { xtcSampler } from './xtc.js';

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

const num = (parameters: StageParameters, name: string): number | undefined => parameters[name] as number | undefined;

/** A secondary parameter: given, else the engine's default, else `fallback`. */
const param = (parameters: StageParameters, profile: EngineProfile, sampler: string, name: string, fallback: unknown): unknown =>
  parameters[name] ?? profile.parameterDefaults[sampler]?.[name] ?? fallback;

const minKeep = (parameters: StageParameters, profile: EngineProfile): number => num(parameters, 'min_keep') ?? profile.minKeep;

const DEFINITIONS: SamplerDefinition[] = [
  {
    name: 'logit_bias',
    parameters: ['bias'],
    objectIsValue: true,
    summary: 'add a fixed bias to listed token ids ("-inf" removes)',
    create: (parameters, profile) => logitBiasSampler(parameters.bias ?? {}, profile.logitBias.clamp, profile.logitBias.outOfVocab),
  },
  {
    name: 'penalties',
    parameters: ['repeat', 'frequency', 'presence', 'last_n'],
    summary: 'repetition (x), frequency and presence (-) penalties on seen tokens',
    create: (parameters, profile) =>
      penaltiesSampler(
        {
          repeat: num(parameters, 'repeat') ?? 1,
          frequency: num(parameters, 'frequency') ?? 0,
          presence: num(parameters, 'presence') ?? 0,
          lastN: param(parameters, profile, 'penalties', 'last_n', profile.penalties.defaultLastN) as number,
        },
        profile.penalties,
        profile.name,
      ),
  },
  {
    name: 'dry',
    parameters: ['multiplier', 'base', 'allowed_length', 'last_n', 'breakers'],
    summary: "DRY: penalise tokens that extend a repeated sequence",
    create: (parameters, profile) =>
      drySampler({
        multiplier: num(parameters, 'multiplier') ?? 0,
        base: param(parameters, profile, 'dry', 'base', 1.75) as number,
        allowedLength: param(parameters, profile, 'dry', 'allowed_length', 2) as number,
        lastN: param(parameters, profile, 'dry', 'last_n', -1) as number,
        breakers: param(parameters, profile, 'dry', 'breakers', []) as number[],
      }),
  },
  {
    name: 'no_repeat_ngram',
    parameters: ['n'],
    summary: 'forbid tokens that would repeat an n-gram of the context',
    create: (parameters) => noRepeatNgramSampler(num(parameters, 'n') ?? 0),
  },
  {
    name: 'top_n_sigma',
    parameters: ['n', 'min_keep'],
    summary: 'keep logits within n standard deviations of the maximum',
    create: (parameters, profile) => topNSigmaSampler(num(parameters, 'n') ?? 0, minKeep(parameters, profile), profile.name === 'llama.cpp', profile.name === 'llama.cpp'),
  },
  {
    name: 'top_k',
    parameters: ['k', 'min_keep'],
    summary: 'keep the k most likely tokens; k = 0 disables',
    create: (parameters, profile) => topKSampler(num(parameters, 'k') ?? 0, num(parameters, 'min_keep') ?? 0, profile.topKTies, profile.topKNegative),
  },
  {
    name: 'top_p',
    parameters: ['p', 'min_keep'],
    summary: 'keep the smallest prefix whose probability reaches p',
    create: (parameters, profile) => topPSampler(num(parameters, 'p') ?? 1, minKeep(parameters, profile), profile.topP, profile.topPZero, profile.name),
  },
  {
    name: 'min_p',
    parameters: ['p', 'min_keep'],
    summary: 'keep tokens with probability >= p x the top probability',
    create: (parameters, profile) => minPSampler(num(parameters, 'p') ?? 0, minKeep(parameters, profile), profile.minP, profile.minPAboveOne),
  },
  {
    name: 'typical_p',
    parameters: ['p', 'min_keep'],
    summary: 'keep the most typical tokens (surprise near the entropy) up to mass p',
    create: (parameters, profile) => typicalPSampler(num(parameters, 'p') ?? 1, minKeep(parameters, profile), profile.typical),
  },
  {
    name: 'epsilon',
    parameters: ['epsilon', 'min_keep'],
    summary: 'keep tokens with probability >= epsilon',
    create: (parameters, profile) => epsilonSampler(num(parameters, 'epsilon') ?? 0, minKeep(parameters, profile), profile.name === 'hf'),
  },
  {
    name: 'eta',
    parameters: ['eta', 'min_keep'],
    summary: 'keep tokens with probability >= min(eta, sqrt(eta) e^-H)',
    create: (parameters, profile) => etaSampler(num(parameters, 'eta') ?? 0, minKeep(parameters, profile), profile.name === 'hf'),
  },
  {
    name: 'xtc',
    parameters: ['threshold', 'probability', 'min_keep'],
    summary: 'with some probability, remove all top tokens above a threshold but the last',
    create: (parameters, profile) =>
      xtcSampler(param(parameters, profile, 'xtc', 'threshold', 0.1) as number, num(parameters, 'probability') ?? 0, minKeep(parameters, profile)),
  },
  {
    name: 'dynatemp',
    parameters: ['t', 'range', 'exponent'],
    summary: 'entropy-scaled temperature in [t - range, t + range]',
    create: (parameters, profile) =>
      dynatempSampler(num(parameters, 't') ?? 1, param(parameters, profile, 'dynatemp', 'range', 0) as number, param(parameters, profile, 'dynatemp', 'exponent', 1) as number),
  },
  {
    name: 'temperature',
    parameters: ['t'],
    summary: 'divide logits by t; t = 0 is greedy',
    create: (parameters, profile) => temperatureSampler(num(parameters, 't') ?? 1, profile.temperature, profile.name),
  },
  {
    name: 'mirostat',
    parameters: ['version', 'tau', 'eta'],
    summary: 'Mirostat v1/v2: select a token aiming at tau bits of surprise',
    create: (parameters, profile) =>
      mirostatSampler(param(parameters, profile, 'mirostat', 'version', 2) as number, param(parameters, profile, 'mirostat', 'tau', 5) as number, param(parameters, profile, 'mirostat', 'eta', 0.1) as number),
  },
  {
    name: 'greedy',
    parameters: [],
    summary: 'keep the most likely token',
    create: () => greedySampler(),
  },
];

const BY_NAME = new Map(DEFINITIONS.map((definition) => [definition.name, withEngineCheck(definition)]));

/** Rejects samplers the engine does not have, naming the engines that do. */
function withEngineCheck(definition: SamplerDefinition): SamplerDefinition {
  return {
    ...definition,
    create(parameters, profile) {
      if (!profile.supported.includes(definition.name)) {
        throw new ChainSpecError(`${definition.name} is not available under --engine ${profile.name} (${profile.title} has ${profile.supported.join(', ')})`);
      }
      return definition.create(parameters, profile);
    },
  };
}

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
