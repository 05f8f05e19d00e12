import { ChainSpecError, formatValue } from '../core/errors.js';
import { adaptiveP } from './adaptiveP.js';
import { allowedTokens } from './allowedTokens.js';
import { badWords } from './badWords.js';
import { minTokens } from './minTokens.js';
import { skew } from './skew.js';
import { smoothing } from './smoothing.js';
import { tfs } from './tfs.js';
import { topA } from './topA.js';
import { topH } from './topH.js';
import { isLive, resolveParameters, type SamplerDefinition } from './definition.js';
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
  topH,
  topA,
  tfs,
  smoothing,
  skew,
  adaptiveP,
  minTokens,
  badWords,
  allowedTokens,
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

/**
 * Removes a sampler added with `registerSampler` (tests clean up with it).
 *
 * @example
 * unregisterSampler('my_cut');
 */
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

/**
 * Every sampler definition, in registration order.
 *
 * @example
 * samplerDefinitions().map((definition) => definition.name); // ['logit_bias', 'dry', ...]
 */
export function samplerDefinitions(): readonly SamplerDefinition[] {
  return [...BY_NAME.values()];
}

/**
 * Builds one stage under an engine profile: rejects a sampler the engine does not have
 * (naming the engines that do), resolves every parameter (`resolveParameters`) and calls
 * the sampler's factory. A knob the engine accepts but ignores (`profile.ignored`: a whole
 * sampler, or one `sampler.parameter`) is still checked, then left out — the stage does
 * nothing (or runs with that parameter neutral) — and, when it was set to anything but its
 * neutral value, a sentence saying so is pushed on `warnings`.
 *
 * @example
 * createStage('top_p', { p: 0.9 }, getProfile('hf')); // transformers' top-p rule
 * const warnings: string[] = [];
 * createStage('top_p', { p: 0.9 }, getProfile('transformers.js'), warnings); // a no-op; warnings[0] says why
 */
export function createStage(name: string, parameters: StageParameters, profile: EngineProfile, warnings?: string[]): Sampler {
  const definition = samplerDefinition(name);
  if (definition.engines[profile.name] === undefined) {
    const engines = Object.keys(definition.engines).join(', ');
    throw new ChainSpecError(`${name} is not available under --engine ${profile.name} (${profile.title} has ${profile.supported.join(', ')}; ${name} is in ${engines})`);
  }
  const resolved = resolveParameters(definition, parameters, profile);
  const sampler = definition.create(resolved, profile);
  const live = definition.parameters.filter((spec) => typeof resolved[spec.name] === 'number' && isLive(spec, resolved[spec.name] as number));
  const whole = profile.ignored[name];
  if (whole !== undefined) {
    const set = live.map((spec) => `${spec.name} = ${formatValue(resolved[spec.name])}`).join(', ');
    if (live.length > 0 || definition.parameters.every((spec) => spec.neutral === undefined)) warnings?.push(`${profile.name} ignores ${name}${set ? ` (${set})` : ''}: ${whole}`);
    return { name, apply() {} };
  }
  const neutralized: Record<string, unknown> = {};
  for (const spec of definition.parameters) {
    const reason = profile.ignored[`${name}.${spec.name}`];
    if (reason === undefined || spec.neutral === undefined) continue;
    if (live.includes(spec)) warnings?.push(`${profile.name} ignores ${name}.${spec.name} = ${formatValue(resolved[spec.name])}: ${reason}`);
    neutralized[spec.name] = spec.neutral;
  }
  return Object.keys(neutralized).length === 0 ? sampler : definition.create({ ...resolved, ...neutralized }, profile);
}
