import type { Stage } from '../state/stages.js';
import type { ParamRange } from './ranges.js';
import type { Preset, ProviderLimit } from './presets.js';

/** A slider's range once a provider's limits are applied. */
export interface EffectiveRange {
  readonly min: number;
  readonly max: number;
  readonly step: number;
  /** The provider fixes this value (min = max): shown, not editable. */
  readonly fixed: boolean;
  /** The provider's limit, when one applies (for the "accepts [a, b]" note). */
  readonly limit?: ProviderLimit;
}

/** The limit a preset puts on `sampler.parameter` (or on every value of `sampler`). */
export function presetLimit(preset: Preset, sampler: string, parameter: string): ProviderLimit | undefined {
  return preset.limits?.[`${sampler}.${parameter}`] ?? preset.limits?.[`${sampler}.*`];
}

/**
 * The slider range of a parameter under a preset: the provider's accepted range where it
 * has one (it may be wider than the playground's usual range, e.g. OpenAI's temperature
 * up to 2), the range table's otherwise.
 */
export function effectiveRange(preset: Preset, sampler: string, parameter: string, control: ParamRange): EffectiveRange {
  const limit = presetLimit(preset, sampler, parameter);
  if (!limit) return { min: control.min, max: control.max, step: control.step, fixed: false };
  return { min: limit.min, max: limit.max, step: control.step, fixed: limit.min === limit.max, limit };
}

/** Whether a preset accepts a sampler at all. */
export function presetAllows(preset: Preset, sampler: string): boolean {
  return preset.allowed === undefined || preset.allowed.includes(sampler);
}

const clamp = (value: number, limit: ProviderLimit): number => Math.min(limit.max, Math.max(limit.min, value));

/**
 * Enforces a provider preset on a chain: drops samplers the provider does not accept,
 * puts them in the provider's order, sets fixed values and clamps every value into the
 * accepted range. Presets without `allowed` (engines, custom) leave the stages as they are.
 */
export function clampToPreset(stages: readonly Stage[], preset: Preset): Stage[] {
  const allowed = preset.allowed;
  if (!allowed) return [...stages];
  return stages
    .filter((stage) => allowed.includes(stage.name))
    .sort((a, b) => allowed.indexOf(a.name) - allowed.indexOf(b.name))
    .map((stage) => {
      const params: Record<string, unknown> = { ...stage.params };
      for (const [key, limit] of Object.entries(preset.limits ?? {})) {
        const [sampler, parameter] = key.split('.') as [string, string];
        if (sampler !== stage.name) continue;
        if (parameter === '*') {
          for (const [name, value] of Object.entries(params)) {
            if (value !== null && typeof value === 'object') {
              params[name] = Object.fromEntries(Object.entries(value).map(([id, bias]) => [id, typeof bias === 'number' ? clamp(bias, limit) : bias]));
            }
          }
        } else if (typeof params[parameter] === 'number') params[parameter] = clamp(params[parameter] as number, limit);
        else if (limit.min === limit.max) params[parameter] = limit.min;
      }
      return { ...stage, params };
    });
}
