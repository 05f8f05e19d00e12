import type { Candidates } from './candidates.js';
import { defineSampler } from './definition.js';
import { fastGreedy } from './fast/greedy.js';
import type { Sampler } from './sampler.js';

/**
 * Greedy: keeps only the most likely token. Ties go to the lowest token id (the first
 * maximum, as `argmax` in NumPy, PyTorch and llama.cpp's greedy sampler). Selects: a chain
 * that ends here draws nothing.
 *
 * @example
 * createSampler([{ greedy: true }]).sample(new Float32Array([1, 3, 3])); // 1
 */
export function greedySampler(): Sampler {
  return {
    name: 'greedy',
    apply(candidates: Candidates): void {
      candidates.keepOnly(candidates.argmaxPosition());
    },
  };
}

/** The `greedy` sampler: no parameters; every engine has it. */
export const greedy = defineSampler({
  name: 'greedy',
  summary: 'keep the most likely token',
  parameters: [],
  selects: true,
  engines: {
    knobs: { order: 160 },
    'llama.cpp': { order: 130 },
    hf: { order: 110 },
    vllm: { order: 70 },
    sglang: { order: 70 },
    ollama: { order: 130 },
    'ollama-go': { order: 50 },
    koboldcpp: { order: 130 },
    exllamav2: { order: 150 },
    'transformers.js': { order: 70 },
    'node-llama-cpp': { order: 90 },
  },
  create: () => greedySampler(),
  fast: fastGreedy,
});
