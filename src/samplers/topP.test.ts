import { describe, expect, it } from 'vitest';
import { createSampler } from '../index.js';

const kept = (probs: Float32Array): number[] => Array.from(probs.keys()).filter((id) => (probs[id] as number) > 0);

describe('top_p rules by engine', () => {
  const uniform = new Float32Array(4); // four tokens of 0.25: p = 0.5 cuts inside the tie

  it('knobs and llama.cpp keep the lower ids among tokens tied at the cut', () => {
    expect(kept(createSampler([{ top_p: 0.5 }]).distribution(uniform))).toEqual([0, 1]);
    expect(kept(createSampler([{ top_p: 0.5 }], { engine: 'llama.cpp' }).distribution(uniform))).toEqual([0, 1]);
  });

  it('transformers and vLLM keep the higher ids (a stable ascending sort puts them last)', () => {
    // ascending cumsum 0.25, 0.5, 0.75, 1; tokens with cumsum <= 1 − 0.5 go: ids 0 and 1.
    expect(kept(createSampler([{ top_p: 0.5 }], { engine: 'hf' }).distribution(uniform))).toEqual([2, 3]);
    expect(kept(createSampler([{ top_p: 0.5 }], { engine: 'vllm' }).distribution(uniform))).toEqual([2, 3]);
  });

  it('min_keep raises the count under every engine', () => {
    for (const engine of ['knobs', 'llama.cpp', 'hf', 'vllm']) {
      expect(kept(createSampler([{ top_p: { p: 0.1, min_keep: 3 } }], { engine }).distribution(new Float32Array([3, 2, 1, 0])))).toEqual([0, 1, 2]);
    }
  });
});
