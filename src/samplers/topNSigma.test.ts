import { describe, expect, it } from 'vitest';
import { createSampler } from '../index.js';

const kept = (probs: Float32Array): number[] => Array.from(probs.keys()).filter((id) => (probs[id] as number) > 0);
// logits 0, 1, 2, 3: mean 1.5, population σ = sqrt(1.25) = 1.1180
const ramp = new Float32Array([0, 1, 2, 3]);

describe('top_n_sigma', () => {
  it('keeps logits at least max − n·σ', () => {
    expect(kept(createSampler([{ top_n_sigma: 1 }]).distribution(ramp))).toEqual([2, 3]); // threshold 1.882
    expect(kept(createSampler([{ top_n_sigma: 2 }]).distribution(ramp))).toEqual([1, 2, 3]); // threshold 0.764
  });

  it('does not depend on temperature', () => {
    const plain = kept(createSampler([{ top_n_sigma: 1 }]).distribution(ramp));
    const hot = kept(createSampler([{ temperature: 3 }, { top_n_sigma: 1 }]).distribution(ramp));
    expect(hot).toEqual(plain);
  });

  it('n = 0 is neutral; llama.cpp also accepts n < 0 as disabled, knobs rejects it', () => {
    expect(kept(createSampler([{ top_n_sigma: 0 }]).distribution(ramp))).toEqual([0, 1, 2, 3]);
    expect(kept(createSampler([{ top_n_sigma: -1 }], { engine: 'llama.cpp' }).distribution(ramp))).toEqual([0, 1, 2, 3]);
    expect(() => createSampler([{ top_n_sigma: -1 }])).toThrow(/top_n_sigma\.n = -1/);
  });
});
