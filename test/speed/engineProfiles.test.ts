import { describe, it } from 'vitest';
import { expectSameAsReference, samplers, zipfLogits } from './helpers.js';

/**
 * The engine profiles of issue 17 on the fast path: wherever a chain is eligible under them
 * (koboldcpp's hidden top-k included, transformers.js's ignored top_p excluded), the fast
 * results equal the reference per-stage results.
 */
const ENGINES = ['sglang', 'ollama', 'ollama-go', 'koboldcpp', 'exllamav2', 'transformers.js', 'node-llama-cpp'];
const CHAINS = ['top_k=40,temperature=0.8', 'temperature=0.7,min_p=0.05', 'top_k=40,top_p=0.95,min_p=0.05,temperature=0.8', 'temperature=0', 'temperature=-0.5', 'greedy'];

describe('the fast path under the new engine profiles', () => {
  for (const chain of CHAINS) {
    it(`${chain}: every new engine, V = 32000`, () => {
      for (const engine of ENGINES) {
        const set = samplers(chain, engine, 7);
        if (!set) continue;
        for (let row = 1; row <= 2; row++) expectSameAsReference(set, zipfLogits(32000, row), 4, `${chain} ${engine} row ${row}`);
      }
    });
  }
});
