import { type EngineProfile, resolveParameters, samplerDefinition } from 'creativity-knobs';

/**
 * The value an engine uses for a parameter that is not set, as the library resolves it
 * (`resolveParameters`: the engine's own default for the sampler, else the parameter's).
 * `undefined` when it is not a number.
 *
 * @example
 * engineDefault(getProfile('llama.cpp'), 'penalties', 'last_n'); // 64
 */
export function engineDefault(profile: EngineProfile, sampler: string, parameter: string): number | undefined {
  const value = resolveParameters(samplerDefinition(sampler), {}, profile)[parameter];
  return typeof value === 'number' ? value : undefined;
}
