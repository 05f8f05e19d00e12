import { describe, expect, it } from 'vitest';
import { createSampler } from '../index.js';

const kept = (probs: Float32Array): number[] => Array.from(probs.keys()).filter((id) => (probs[id] as number) > 0);

describe('min_tokens', () => {
  const logits = new Float32Array(4);

  it('masks the stop ids until min tokens are generated; the prompt does not count', () => {
    const chain = [{ min_tokens: { min: 2, stop: [3] } }];
    expect(kept(createSampler(chain, { prompt: [0, 1, 2], history: [1] }).distribution(logits))).toEqual([0, 1, 2]);
    expect(kept(createSampler(chain, { prompt: [0, 1, 2], history: [1, 1] }).distribution(logits))).toEqual([0, 1, 2, 3]);
  });

  it('counts accepted tokens as generated', () => {
    const sampler = createSampler([{ min_tokens: { min: 1, stop: [3] } }]);
    expect(kept(sampler.distribution(logits))).toEqual([0, 1, 2]);
    sampler.accept(0);
    expect(kept(sampler.distribution(logits))).toEqual([0, 1, 2, 3]);
  });

  it('also masks the model\'s EOS ids when the chain knows them', () => {
    expect(kept(createSampler([{ min_tokens: 1 }], { eos: [2] }).distribution(logits))).toEqual([0, 1, 3]);
  });

  it('exllamav2 sets the logit to −1e30: the token stays a candidate with probability 0', () => {
    const sampler = createSampler([{ min_tokens: { min: 1, stop: [3] } }], { engine: 'exllamav2' });
    const trace = sampler.trace(logits);
    expect(trace[1]?.kept).toBe(4);
    expect(trace[1]?.probs[3]).toBe(0);
  });

  it('masking every token is an error; min 0 is neutral; negative min is rejected', () => {
    expect(() => createSampler([{ min_tokens: { min: 1, stop: [0, 1] } }]).distribution(new Float32Array(2))).toThrow(/nothing left/);
    expect(kept(createSampler([{ min_tokens: { min: 0, stop: [0] } }]).distribution(logits))).toEqual([0, 1, 2, 3]);
    expect(() => createSampler([{ min_tokens: -1 }])).toThrow(/min_tokens\.min = -1 .*>= 0/);
    expect(() => createSampler([{ min_tokens: { min: 1, stop: [1.5] } }])).toThrow(/min_tokens\.stop/);
  });
});
