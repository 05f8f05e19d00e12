import { describe, expect, it } from 'vitest';
import { createSampler } from '../index.js';

const kept = (probs: Float32Array): number[] => Array.from(probs.keys()).filter((id) => (probs[id] as number) > 0);

describe('min_p rules by engine', () => {
  const logits = Float32Array.from([4, 2, 1], Math.log); // relative probabilities 1, 1/2, 1/4

  it('keeps tokens at least p times as likely as the top one, inclusive, under every engine', () => {
    for (const engine of ['knobs', 'llama.cpp', 'hf', 'vllm']) {
      expect(kept(createSampler([{ min_p: 0.4 }], { engine }).distribution(logits))).toEqual([0, 1]);
    }
  });

  it('llama.cpp accepts p > 1 and keeps the maximum; the others reject it', () => {
    expect(kept(createSampler([{ min_p: 1.05 }], { engine: 'llama.cpp' }).distribution(logits))).toEqual([0]);
    expect(() => createSampler([{ min_p: 1.05 }], { engine: 'hf' })).toThrow(/min_p\.p = 1\.05 .*\[0, 1\]/);
  });
});
