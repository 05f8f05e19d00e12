import type { EngineProfile } from '../profiles.js';
import { FLOAT32_MAX, temperatureRule } from '../temperature.js';
import { fastGreedy } from './greedy.js';
import type { FastForm, FastRow } from './row.js';

/**
 * Temperature's fast form: the kernel divides (float32 profiles: `fl32(v / fl32(t))`) or
 * multiplies (`fl32(v · (1/t))`) every value once, as the reference does per candidate; a
 * greedy temperature is greedy's fast form. Where `v / t` would overflow float32 the reference
 * keeps the maxima (the limit t → 0+): that row leaves the fast path.
 *
 * @example
 * fastTemperature({ t: 0.8 }, getProfile('knobs')); // a stage that scales the row
 */
export function fastTemperature({ t }: { t: number }, profile: EngineProfile): FastForm {
  const rule = temperatureRule(t, profile);
  if (rule.greedy) return fastGreedy();
  if (rule.t < 0) return { reason: 'a negative temperature (transformers.js divides by it) reverses the ranking' };
  if (rule.t === 1) return { name: 'temperature', run: () => true };
  const float32 = rule.float32;
  const divisor = Math.fround(rule.t);
  const inverse = 1 / rule.t;
  const mode = float32 ? 3 : Math.fround(inverse) === inverse ? 1 : 2;
  const apply = (v: number): number => Math.fround(float32 ? v / divisor : v * inverse);
  return {
    name: 'temperature',
    run(row: FastRow): boolean {
      // The reference checks the largest |logit|; max and min bound it (min may be stale-low).
      const largest = Math.max(Math.abs(row.max), Math.abs(row.min));
      if (!((float32 ? largest / divisor : largest * inverse) <= FLOAT32_MAX)) return row.fail('temperature: scaled logits would overflow float32');
      const args = row.kernel.args;
      args[0] = float32 ? divisor : inverse;
      args[1] = inverse;
      row.kernel.scale(row.n, mode);
      row.max = apply(row.max);
      row.min = apply(row.min);
      row.weightsTop = NaN;
      row.changed();
      return true;
    },
  };
}
