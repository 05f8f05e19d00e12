import type { Candidates } from './candidates.js';
import { checkParameter, defineSampler, type ParameterSpec } from './definition.js';
import type { Sampler } from './sampler.js';
import { liveEntropy } from './selection.js';
import { applyTemperature } from './temperature.js';

/**
 * Dynamic temperature (kalomaze, "entropy-scaled temperature"; llama.cpp
 * `llama_sampler_temp_ext`): the temperature follows the entropy of the live distribution.
 * With `range > 0`: `t_min = max(0, t − range)`, `t_max = t + range`, H the entropy of the
 * softmax in nats and `H_max = ln(live count)`, the temperature is
 * `t_min + (t_max − t_min) · (H / H_max)^exponent`, so a confident (low-entropy) distribution
 * is sampled colder and a flat one hotter; the logits are then divided by it (a temperature
 * of 0 keeps the first maximum, as llama.cpp's `temp_impl` does for t ≤ 0). One live token:
 * nothing happens. `range = 0` is plain temperature `t` (t = 0 greedy); `t = 1, range = 0`
 * is neutral. Follows llama.cpp, float32 division included.
 *
 * @example
 * createSampler([{ dynatemp: { t: 1, range: 0.5, exponent: 1 } }]).distribution(new Float32Array([2, 1, 0]));
 */
export function dynatempSampler({ t, range, exponent }: { t: number; range: number; exponent: number }): Sampler {
  checkParameter('dynatemp', T, t);
  checkParameter('dynatemp', RANGE, range);
  checkParameter('dynatemp', EXPONENT, exponent);
  return {
    name: 'dynatemp',
    apply(candidates: Candidates): void {
      if (range <= 0) {
        applyTemperature(candidates, t, t <= 0, true);
        return;
      }
      const size = candidates.size;
      if (size <= 1) return;
      const low = Math.max(0, t - range);
      const high = t + range;
      const entropy = liveEntropy(candidates);
      const normalized = Math.max(0, entropy) / Math.log(size);
      const dynamic = low + (high - low) * Math.pow(normalized, exponent);
      applyTemperature(candidates, dynamic, dynamic <= 0, true);
    },
  };
}

const T: ParameterSpec = {
  name: 't',
  kind: 'number',
  default: 1,
  range: { min: 0, max: Infinity },
  hint: 'the temperature at the middle of the range',
  control: { min: 0, max: 3, step: 0.01 },
};
const RANGE: ParameterSpec = {
  name: 'range',
  kind: 'number',
  default: 0,
  range: { min: 0, max: Infinity },
  neutral: 0,
  hint: 'temperature varies in [t − range, t + range] with entropy',
  control: { min: 0, max: 2, step: 0.01, initial: 0.5 },
  fields: ['dynatemp_range'],
};
const EXPONENT: ParameterSpec = {
  name: 'exponent',
  kind: 'number',
  default: 1,
  range: { min: 0, max: Infinity },
  hint: 'shape of the entropy-to-temperature map',
  control: { min: 0, max: 5, step: 0.05 },
  optional: true,
  fields: ['dynatemp_exponent'],
};

/** The `dynatemp` sampler: its parameters, engines and factory. */
export const dynatemp = defineSampler({
  name: 'dynatemp',
  summary: 'entropy-scaled temperature in [t - range, t + range]',
  parameters: [T, RANGE, EXPONENT],
  engines: {
    knobs: { order: 130 },
    'llama.cpp': { order: 100 },
    koboldcpp: { order: 91 },
    exllamav2: { order: 120 },
  },
  create: dynatempSampler,
});
