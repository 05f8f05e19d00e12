import type { Candidates } from './candidates.js';
import { checkParameter, defineSampler, MIN_KEEP, type ParameterSpec } from './definition.js';
import { fastMinP } from './fast/minP.js';
import type { EngineProfile, MinPRule } from './profiles.js';
import type { Sampler } from './sampler.js';

/**
 * Min-p (Nguyen et al. 2024): keeps every token whose probability is at least
 * `p × (probability of the most likely token)` — inclusive, so ties at the threshold are
 * kept. Computed on logits as `logit ≥ max_logit + ln p`, without exponentials, as
 * llama.cpp does. `p = 0` is neutral; `p = 1` keeps the tokens tied with the maximum.
 * If fewer than `min_keep` tokens pass, the `min_keep` most likely are kept (ties by id).
 *
 * Rules by engine (`profile.minP`, and `profile.minPAboveOne` for p > 1): `logit` (knobs, float64); `logit-float32` (llama.cpp's
 * `llama_sampler_min_p_apply`, threshold `max + logf(p)` in float32; p > 1 is accepted and
 * keeps only the maximum); `probability-float32` (transformers' `MinPLogitsWarper`, vLLM's
 * `MinPLogitsProcessor`: float32 softmax, removes `probs < p · max_prob`). exllamav2's
 * `min_p_cpu` (@da07facd, read, not run) is the float32 probability rule, applied only for
 * `0 < p < 1`: p >= 1 is ignored (`minPAboveOne: 'ignored'`). Ollama's Go sampler clamps p
 * to [0, 1] and applies the probability rule to the top-p survivors.
 *
 * @example
 * createSampler([{ min_p: 0.5 }]).distribution(new Float32Array([Math.log(4), Math.log(2), Math.log(1)]));
 * // keeps the first two (1/4 < 0.5)
 */
export function minPSampler({ p, min_keep: minKeep }: { p: number; min_keep: number }, profile: EngineProfile): Sampler {
  const rule = profile.minP;
  if (profile.minPAboveOne === 'keep-max') checkParameter('min_p', P, p, { min: -Infinity, max: Infinity }, '(p <= 0 disables, p >= 1 keeps the maximum)');
  else if (profile.minPAboveOne === 'ignored') checkParameter('min_p', P, p, { min: 0, max: Infinity }, `(p >= 1 is ignored under ${profile.name})`);
  else checkParameter('min_p', P, p);
  const ignored = profile.minPAboveOne === 'ignored' && p >= 1;
  checkParameter('min_p', MIN_KEEP, minKeep);
  return {
    name: 'min_p',
    apply(candidates: Candidates): void {
      if (p <= 0 || ignored) return;
      const logits = candidates.logits;
      const ids = candidates.ids;
      const size = candidates.size;
      const max = candidates.maxLogit();
      // The engine's test: a logit threshold, or a float32 probability against p · p_max.
      let threshold = -Infinity;
      let sum = 0;
      let limit = 0;
      if (rule !== 'probability-float32') threshold = minPLogitThreshold(max, p, rule);
      else {
        for (let i = 0; i < size; i++) sum += Math.exp((logits[ids[i] as number] as number) - max);
        limit = Math.fround(Math.fround(p) * Math.fround(1 / sum));
      }
      const onProbabilities = rule === 'probability-float32';
      let kept = 0;
      for (let i = 0; i < size; i++) if (passes(logits[ids[i] as number] as number, onProbabilities, threshold, max, sum, limit)) kept++;
      const floor = Math.max(minKeep, 1); // the maximum always passes, even for p > 1
      if (kept < floor) {
        candidates.partialSortDescending(floor);
        if (floor < candidates.size) {
          candidates.truncate(floor);
          candidates.order = 'descending';
        }
        return;
      }
      if (kept === size) return;
      let write = 0;
      for (let i = 0; i < size; i++) {
        const id = ids[i] as number;
        if (passes(logits[id] as number, onProbabilities, threshold, max, sum, limit)) ids[write++] = id;
      }
      candidates.size = write;
    },
  };
}

/**
 * The logit threshold of the rules on logits: `max + ln p` in float64 (`logit`), or in
 * llama.cpp's float32 (`fl32(max + fl32(logf(fl32(p))))`). A token stays when its logit is ≥ it.
 *
 * @example
 * minPLogitThreshold(2, 0.5, 'logit'); // 2 − ln 2
 */
export function minPLogitThreshold(max: number, p: number, rule: MinPRule): number {
  return rule === 'logit-float32' ? Math.fround(max + Math.fround(Math.log(Math.fround(p)))) : max + Math.log(p);
}

function passes(logit: number, onProbabilities: boolean, threshold: number, max: number, sum: number, limit: number): boolean {
  return onProbabilities ? Math.fround(Math.exp(logit - max) / sum) >= limit : logit >= threshold;
}

const P: ParameterSpec = {
  name: 'p',
  kind: 'number',
  default: 0,
  range: { min: 0, max: 1 },
  neutral: 0,
  hint: 'relative to the top token; 0 disables',
  control: { min: 0, max: 1, step: 0.01, initial: 0.05 },
  fields: ['min_p'],
  flag: 'min-p',
};

/** The `min_p` sampler: its parameters, engines and factory. */
export const minP = defineSampler({
  name: 'min_p',
  summary: 'keep tokens with probability >= p x the top probability',
  parameters: [P, MIN_KEEP],
  engines: {
    knobs: { order: 70 },
    'llama.cpp': { order: 80, preset: 0.05 },
    hf: { order: 70 },
    vllm: { order: 40, preset: 0 },
    sglang: { order: 60, preset: 0 },
    ollama: { order: 80, preset: 0 },
    'ollama-go': { order: 40, preset: 0 },
    koboldcpp: { order: 85, preset: 0 },
    exllamav2: { order: 80, preset: 0 },
    'transformers.js': { order: 62 },
    'node-llama-cpp': { order: 60, preset: 0 },
  },
  create: minPSampler,
  fast: fastMinP,
});
