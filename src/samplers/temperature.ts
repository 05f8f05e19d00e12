import { InvalidParameterError } from '../core/errors.js';
import type { Candidates } from './candidates.js';
import { checkParameter, defineSampler, type ParameterSpec } from './definition.js';
import type { EngineProfile } from './profiles.js';
import { fastTemperature } from './fast/temperature.js';
import type { Sampler } from './sampler.js';

/**
 * Temperature: divides every live logit by `t` (stored as float32). `t = 1` is neutral.
 * What t ≤ 0 does depends on the engine (`profile.temperature`):
 * - knobs: `t = 0` is greedy — only the first maximum (lowest id among ties) is kept, the
 *   limit of `softmax(l / t)` as t → 0+; t < 0 is rejected.
 * - llama.cpp (`llama_sampler_temp_impl`): t ≤ 0 keeps the first maximum; logits are divided
 *   in float32.
 * - transformers (`TemperatureLogitsWarper`): t must be > 0; greedy is `do_sample=False`,
 *   here `{"greedy": true}`.
 * - vLLM (`SamplingParams`, `Sampler`): t < 1e-5 is greedy (argmax, first maximum), t < 0 is
 *   rejected, and 0 < t < 0.01 is raised to 0.01.
 * - SGLang (`sampling_params.py`): t < 1e-6 is greedy, t < 0 rejected; exllamav2
 *   (`sample_basic`): t < 0.01, negatives included, is greedy; Ollama's Go sampler: t < 0 is
 *   clamped to 0 (greedy), positive t raised to at least 1e-7; koboldcpp, node-llama-cpp:
 *   t <= 0 greedy (all read, not run; node-llama-cpp run).
 * - transformers.js (run, 4.3.2): t = 0 switches sampling off (greedy); t < 0 is not
 *   rejected and divides the logits, which reverses the ranking (`negative: 'flip'`).
 * Temperature changes no ranking, so it never ties or cuts tokens except when greedy. A t so
 * small that `l / t` overflows float32 gives the limit t → 0+: the tokens tied with the
 * maximum, equally likely.
 *
 * @example
 * createSampler([{ temperature: 0.5 }]).distribution(new Float32Array([2, 1.5, 1, 0.5, 0]))[0]; // ≈ 0.6364
 */
export function temperatureSampler({ t }: { t: number }, profile: EngineProfile): Sampler {
  const rule = temperatureRule(t, profile);
  return temperatureOf(rule.t, rule.greedy, rule.float32);
}

/**
 * What a temperature does under a profile (after checking it): greedy, or the temperature it
 * divides by (vLLM raises small ones) in float32 (`l / fl32(t)`) or float64 (`l · (1/t)`,
 * rounded to float32). The reference sampler and the fast form both read it.
 *
 * @example
 * temperatureRule(0.005, getProfile('vllm')); // { greedy: false, t: 0.01, float32: true }
 */
export function temperatureRule(t: number, profile: EngineProfile): { readonly greedy: boolean; readonly t: number; readonly float32: boolean } {
  const rule = profile.temperature;
  const note = rule.negative === 'greedy' ? `(t <= 0 is greedy under ${profile.name})` : rule.negative === 'flip' ? `(t < 0 divides the logits under ${profile.name})` : '';
  checkParameter('temperature', T, t, { min: rule.negative === 'error' ? 0 : -Infinity, max: Infinity }, note);
  if (t === 0 && rule.zero === 'error') {
    throw new InvalidParameterError('temperature.t', t, `a number > 0 under ${profile.name} (for greedy decoding use {"greedy": true}, transformers' do_sample=False)`);
  }
  // transformers.js divides by a negative temperature: the distribution flips.
  const greedy = t === 0 || (t < 0 && rule.negative !== 'flip') || (t > 0 && t < rule.greedyBelow);
  return { greedy, t: !greedy && t > 0 && t < rule.floor ? rule.floor : t, float32: rule.float32 };
}

const T: ParameterSpec = {
  name: 't',
  kind: 'number',
  default: 1,
  range: { min: 0, max: Infinity },
  neutral: 1,
  hint: '1 is neutral; 0 is greedy',
  control: { min: 0, max: 3, step: 0.01 },
  fields: ['temperature'],
  flag: 'temperature',
};

/** The `temperature` sampler: its parameter, engines and factory. */
export const temperature = defineSampler({
  name: 'temperature',
  summary: 'divide logits by t; t = 0 is greedy',
  parameters: [T],
  engines: {
    knobs: { order: 140 },
    'llama.cpp': { order: 110, preset: 0.8 },
    hf: { order: 40, preset: 1 },
    vllm: { order: 30, preset: 1 },
    sglang: { order: 30, preset: 1 },
    ollama: { order: 110, preset: 0.8 },
    'ollama-go': { order: 20, preset: 0.8 },
    koboldcpp: { order: 90, preset: 0.7 },
    exllamav2: { order: 40, preset: 1 },
    'transformers.js': { order: 50, preset: 1 },
    'node-llama-cpp': { order: 80, preset: 0 },
  },
  create: temperatureSampler,
  fast: fastTemperature,
});

/** The sampler that divides by `t` (float32 or not), or keeps the first maximum when `greedy`. */
export function temperatureOf(t: number, greedy: boolean, float32: boolean): Sampler {
  return {
    name: 'temperature',
    apply(candidates: Candidates): void {
      applyTemperature(candidates, t, greedy, float32);
    },
  };
}

/** The largest float32: a scaled logit above it overflows. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * The limit of `softmax(l / t)` as t → 0+ when `l / t` would overflow float32: the tokens
 * tied with the maximum, equally likely (their logits set to 0).
 */
function keepMaxima(candidates: Candidates): void {
  const logits = candidates.logits;
  const ids = candidates.ids;
  const max = candidates.maxLogit();
  let write = 0;
  for (let i = 0; i < candidates.size; i++) {
    const id = ids[i] as number;
    if (logits[id] === max) {
      logits[id] = 0;
      ids[write++] = id;
    }
  }
  candidates.size = write;
}

/** Divides the live logits by t in place, or keeps only the first maximum when `greedy`. */
export function applyTemperature(candidates: Candidates, t: number, greedy: boolean, float32: boolean): void {
  if (greedy) {
    candidates.keepOnly(candidates.argmaxPosition());
    return;
  }
  if (t === 1) return;
  const logits = candidates.logits;
  const ids = candidates.ids;
  let largest = 0;
  for (let i = 0; i < candidates.size; i++) largest = Math.max(largest, Math.abs(logits[ids[i] as number] as number));
  const scaled = float32 ? largest / Math.fround(t) : largest * (1 / t);
  if (!(scaled <= FLOAT32_MAX)) {
    keepMaxima(candidates);
    return;
  }
  if (float32) {
    const divisor = Math.fround(t);
    for (let i = 0; i < candidates.size; i++) {
      const id = ids[i] as number;
      logits[id] = (logits[id] as number) / divisor;
    }
    return;
  }
  const inverse = 1 / t;
  for (let i = 0; i < candidates.size; i++) {
    const id = ids[i] as number;
    logits[id] = (logits[id] as number) * inverse;
  }
}
