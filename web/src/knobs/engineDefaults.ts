import type { EngineProfile } from '../../../src/samplers/profiles.js';

/**
 * The value an engine uses for a parameter that is not set: `min_keep` from the profile
 * (top-k's is 0 everywhere), the rest from the profile's `parameterDefaults` (penalties'
 * window, DRY's base, Mirostat's tau, ...). `undefined` when the engine has none.
 *
 * @example
 * engineDefault(getProfile('llama.cpp'), 'penalties', 'last_n'); // 64
 */
export function engineDefault(profile: EngineProfile, sampler: string, parameter: string): number | undefined {
  if (parameter === 'min_keep') return sampler === 'top_k' ? 0 : profile.minKeep;
  const value = profile.parameterDefaults[sampler]?.[parameter];
  return typeof value === 'number' ? value : undefined;
}
