import { describe, expect, it } from 'vitest';
import { createSampler } from '../index.js';

const kept = (probs: Float32Array): number[] => Array.from(probs.keys()).filter((id) => (probs[id] as number) > 0);

describe('no_repeat_ngram', () => {
  it('n = 1 bans every token already in the context', () => {
    expect(kept(createSampler([{ no_repeat_ngram: 1 }], { history: [2, 0] }).distribution(new Float32Array(4)))).toEqual([1, 3]);
  });

  it('counts the prompt as context, as transformers does for decoder-only models', () => {
    // prompt 1 2, generated 1: the bigram "1 2" exists, so 2 is banned after 1
    expect(kept(createSampler([{ no_repeat_ngram: 2 }], { prompt: [1, 2], history: [1] }).distribution(new Float32Array(4)))).toEqual([0, 1, 3]);
  });

  it('banning every live token is an error', () => {
    expect(() => createSampler([{ no_repeat_ngram: 1 }], { history: [0, 1] }).distribution(new Float32Array(2))).toThrow(/nothing left/);
  });
});
