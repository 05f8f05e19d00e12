import type { Candidates } from './candidates.js';
import { checkParameter, defineSampler, MIN_KEEP, type ParameterSpec } from './definition.js';
import type { EngineProfile } from './profiles.js';
import type { Sampler, SamplerContext } from './sampler.js';

/**
 * XTC, "exclude top choices" (p-e-w, text-generation-webui PR #6335; llama.cpp
 * `llama_sampler_xtc`): with probability `probability`, removes every token whose
 * probability is at least `threshold` (inclusive) except the least likely of them, so the
 * model is pushed off its most obvious choices while keeping one viable one. Nothing
 * happens when fewer than two tokens reach the threshold, when `threshold > 0.5` (then at
 * most one token can reach it), when fewer than two tokens are live, or when removing would
 * leave fewer than `min_keep` tokens. `probability = 0` is neutral.
 *
 * Randomness, exactly: when active (`probability > 0`, `threshold <= 0.5`, ≥ 2 live tokens)
 * each apply draws `u = context.rng.nextFloat()` and removes only if `u <= probability`
 * (llama.cpp: `chance > probability` returns). So `distribution()` returns the
 * distribution for the generator's next draw and consumes it: call it again (or use
 * `sample`) to see the other outcome. `probability = 1` always removes.
 *
 * koboldcpp (`xtcRemoval: 'subtract-999'`, `gpttype_adapter.cpp` @0c163a9b, read, not run)
 * does not remove them: it subtracts 999 from their logits, so they stay candidates with a
 * probability that is 0 in float32 — and a later adaptive-p can bring them back.
 *
 * @example
 * // llama.cpp's test: {0.4, 0.3, 0.2, 0.1}, threshold 0.09 leaves only 0.1
 * createSampler([{ xtc: { threshold: 0.09, probability: 1 } }]).distribution(Float32Array.from([0.4, 0.3, 0.2, 0.1], Math.log));
 */
export function xtcSampler({ threshold, probability, min_keep: minKeep }: { threshold: number; probability: number; min_keep: number }, profile: EngineProfile): Sampler {
  const subtract = profile.xtcRemoval === 'subtract-999';
  checkParameter('xtc', THRESHOLD, threshold);
  checkParameter('xtc', PROBABILITY, probability);
  checkParameter('xtc', MIN_KEEP, minKeep);
  return {
    name: 'xtc',
    apply(candidates: Candidates, context: SamplerContext): void {
      if (probability <= 0 || threshold > 0.5 || candidates.size < 2) return;
      if (context.rng.nextFloat() > probability) return;
      const logits = candidates.logits;
      const ids = candidates.ids;
      const size = candidates.size;
      const max = candidates.maxLogit();
      let sum = 0;
      for (let i = 0; i < size; i++) sum += Math.exp((logits[ids[i] as number] as number) - max);
      // Tokens at or above the threshold: a prefix of the descending order.
      let above = 0;
      for (let i = 0; i < size; i++) {
        const id = ids[i] as number;
        if (Math.exp((logits[id] as number) - max) / sum >= threshold) above++;
      }
      const removed = above - 1;
      if (removed <= 0 || size - removed < minKeep) return;
      candidates.partialSortDescending(above);
      if (subtract) {
        subtractTopChoices(candidates, removed);
        return;
      }
      ids.copyWithin(0, removed, size);
      candidates.size = size - removed;
      candidates.order = candidates.order === 'descending' ? 'descending' : 'any';
    },
  };
}

/** koboldcpp: the first `count` (sorted) candidates get `logit − 999` and stay live. */
function subtractTopChoices(candidates: Candidates, count: number): void {
  const logits = candidates.logits;
  const ids = candidates.ids;
  for (let i = 0; i < count; i++) {
    const id = ids[i] as number;
    logits[id] = Math.fround((logits[id] as number) - 999);
  }
  candidates.order = 'any';
}

const THRESHOLD: ParameterSpec = {
  name: 'threshold',
  kind: 'number',
  default: 0.1,
  range: { min: 0, max: 1 },
  hint: 'tokens at or above this probability are "top choices"',
  control: { min: 0, max: 0.5, step: 0.01 },
  fields: ['xtc_threshold'],
};
const PROBABILITY: ParameterSpec = {
  name: 'probability',
  kind: 'number',
  default: 0,
  range: { min: 0, max: 1 },
  neutral: 0,
  hint: 'chance of excluding the top choices; 0 disables',
  control: { min: 0, max: 1, step: 0.01, initial: 0.5 },
  fields: ['xtc_probability'],
};

/** The `xtc` sampler: its parameters, engines and factory. */
export const xtc = defineSampler({
  name: 'xtc',
  summary: 'with some probability, remove all top tokens above a threshold but the last',
  parameters: [THRESHOLD, PROBABILITY, MIN_KEEP],
  engines: {
    knobs: { order: 120 },
    'llama.cpp': { order: 90, preset: { threshold: 0.1, probability: 0 } },
    koboldcpp: { order: 100, preset: { threshold: 0.2, probability: 0 } },
    'node-llama-cpp': { order: 70 },
  },
  create: xtcSampler,
});
