import { describe, expect, it } from 'vitest';
import { createSampler } from '../index.js';

const kept = (probs: Float32Array): number[] => Array.from(probs.keys()).filter((id) => (probs[id] as number) > 0);
const tied = new Float32Array([3, 2, 2, 2, 0]);

describe('top_k rules by engine', () => {
  it('knobs and llama.cpp keep exactly k, the lower ids among ties', () => {
    expect(kept(createSampler([{ top_k: 2 }]).distribution(tied))).toEqual([0, 1]);
    expect(kept(createSampler([{ top_k: 2 }], { engine: 'llama.cpp' }).distribution(tied))).toEqual([0, 1]);
  });

  it('transformers and vLLM keep every token tied with the k-th', () => {
    expect(kept(createSampler([{ top_k: 2 }], { engine: 'hf' }).distribution(tied))).toEqual([0, 1, 2, 3]);
    expect(kept(createSampler([{ top_k: 2 }], { engine: 'vllm' }).distribution(tied))).toEqual([0, 1, 2, 3]);
  });

  it('k < 0 disables top-k under llama.cpp and vLLM and is rejected by knobs', () => {
    expect(kept(createSampler([{ top_k: -1 }], { engine: 'vllm' }).distribution(tied))).toEqual([0, 1, 2, 3, 4]);
    expect(() => createSampler([{ top_k: -1 }])).toThrow(/top_k\.k = -1 .*>= 0/);
  });
});
