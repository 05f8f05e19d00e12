import { ChainSpecError } from '../core/errors.js';
import { resolveParameters, type SamplerDefinition } from './definition.js';
import { dry } from './dry.js';
import { dynatemp } from './dynatemp.js';
import { epsilonCutoff } from './epsilon.js';
import { etaCutoff } from './eta.js';
import { greedy } from './greedy.js';
import { logitBias } from './logitBias.js';
import { minP } from './minP.js';
import { mirostat } from './mirostat.js';
import { noRepeatNgram } from './noRepeatNgram.js';
import { penalties } from './penalties.js';
import type { EngineProfile } from './profiles.js';
import type { Sampler } from './sampler.js';
import { temperature } from './temperature.js';
import { topK } from './topK.js';
import { topNSigma } from './topNSigma.js';
import { topP } from './topP.js';
import { typicalP } from './typicalP.js';
import { xtc } from './xtc.js';

export type { SamplerDefinition } from './definition.js';

/** Parameters of one stage after parsing: parameter name → value. */
export type StageParameters = Record<string, unknown>;

/**
 * Every sampler, one definition each (declared in the sampler's own file), most used
 * first (the order of menus, flags and field lists; engines order stages by their own
 * ranks). Adding a sampler is one new file and one line here; the CLI's flags, the
 * server's fields, the playground's controls and every engine profile's order read these
 * definitions.
 */
const SAMPLERS: SamplerDefinition[] = [
  temperature,
  topK,
  topP,
  minP,
  typicalP,
  topNSigma,
  epsilonCutoff,
  etaCutoff,
  xtc,
  penalties,
  dry,
  noRepeatNgram,
  dynatemp,
  mirostat,
  logitBias,
  greedy,
];

const BY_NAME = new Map(SAMPLERS.map((definition) => [definition.name, definition]));

/**
 * Adds a sampler kind (a plug-in, or a test's own sampler); it then appears wherever
 * definitions are read. A definition with an existing name replaces it.
 *
 * @example
 * registerSampler(defineSampler({ name: 'my_cut', summary: '...', parameters: [], engines: { knobs: { order: 65 } }, create: () => myCut() }));
 */
export function registerSampler(definition: SamplerDefinition): void {
  BY_NAME.set(definition.name, definition);
}

/** Removes a sampler added with `registerSampler` (tests clean up with it). */
export function unregisterSampler(name: string): void {
  BY_NAME.delete(name);
}

/**
 * The definition of a sampler by name, or a `ChainSpecError` listing the known names.
 *
 * @example
 * samplerDefinition('top_p').parameters.map((p) => p.name); // ['p', 'min_keep']
 */
export function samplerDefinition(name: string): SamplerDefinition {
  const definition = BY_NAME.get(name);
  if (!definition) {
    throw new ChainSpecError(`unknown sampler ${JSON.stringify(name)}: expected one of ${[...BY_NAME.keys()].join(', ')}`);
  }
  return definition;
}

/** Every sampler definition, in registration order. */
export function samplerDefinitions(): readonly SamplerDefinition[] {
  return [...BY_NAME.values()];
}

/**
 * Builds one stage under an engine profile: rejects a sampler the engine does not have
 * (naming the engines that do), resolves every parameter (`resolveParameters`) and calls
 * the sampler's factory.
 *
 * @example
 * createStage('top_p', { p: 0.9 }, getProfile('hf')); // transformers' top-p rule
 */
export function createStage(name: string, parameters: StageParameters, profile: EngineProfile): Sampler {
  const definition = samplerDefinition(name);
  if (definition.engines[profile.name] === undefined) {
    const engines = Object.keys(definition.engines).join(', ');
    throw new ChainSpecError(`${name} is not available under --engine ${profile.name} (${profile.title} has ${profile.supported.join(', ')}; ${name} is in ${engines})`);
  }
  return definition.create(resolveParameters(definition, parameters, profile), profile);
}
