import { describe, expect, it } from 'vitest';
import { createSampler } from '../index.js';

const kept = (probs: Float32Array): number[] => Array.from(probs.keys()).filter((id) => (probs[id] as number) > 0);

describe('allowed_tokens', () => {
  it('removes every token that is not listed, and renormalises', () => {
    const probs = createSampler([{ allowed_tokens: { ids: [1, 3, 3] } }]).distribution(new Float32Array([0, 0, 0, Math.LN2]));
    expect(kept(probs)).toEqual([1, 3]);
    expect(probs[3]).toBeCloseTo(2 / 3, 6);
  });

  it('is first in vLLM\'s order, before bad words, min_tokens and logit bias', () => {
    expect(createSampler([], { engine: 'vllm' }).engine.defaultOrder.slice(0, 4)).toEqual(['allowed_tokens', 'bad_words', 'min_tokens', 'logit_bias']);
  });

  it('an empty list allows every token under knobs and is rejected by vLLM', () => {
    expect(kept(createSampler([{ allowed_tokens: { ids: [] } }]).distribution(new Float32Array(3)))).toEqual([0, 1, 2]);
    expect(() => createSampler([{ allowed_tokens: { ids: [] } }], { engine: 'vllm' })).toThrow(/non-empty list .*allowed_token_ids is not None and empty/);
  });

  it('ids outside the vocabulary are an error, and so is a list whose tokens were all removed', () => {
    expect(() => createSampler([{ allowed_tokens: { ids: [7] } }]).distribution(new Float32Array(3))).toThrow(/allowed_tokens\.ids = 7 .*\[0, 2\]/);
    expect(() => createSampler([{ logit_bias: { '1': '-inf' } }, { allowed_tokens: { ids: [1] } }]).distribution(new Float32Array(3))).toThrow(/nothing left/);
    expect(() => createSampler([{ allowed_tokens: { ids: [-1] } }])).toThrow(/token ids/);
  });
});
