import { describe, expect, it } from 'vitest';
import { createSampler } from '../index.js';

const kept = (probs: Float32Array): number[] => Array.from(probs.keys()).filter((id) => (probs[id] as number) > 0);
const fromProbs = (probs: number[]): Float32Array => Float32Array.from(probs, Math.log);

describe('eta and epsilon', () => {
  it('eta cuts at min(ε, √ε·e^−H): a flat distribution lowers the cutoff', () => {
    // uniform 4: H = ln 4, cutoff min(0.5, 0.7071 · 0.25) = 0.1768 < 0.25: all stay
    expect(kept(createSampler([{ eta: 0.5 }]).distribution(new Float32Array(4)))).toEqual([0, 1, 2, 3]);
    // {0.7, 0.1, 0.1, 0.1}: H = 0.9404, cutoff min(0.5, 0.2761): only 0.7 stays
    expect(kept(createSampler([{ eta: 0.5 }]).distribution(fromProbs([0.7, 0.1, 0.1, 0.1])))).toEqual([0]);
  });

  it('epsilon keeps tokens whose probability is at least ε', () => {
    expect(kept(createSampler([{ epsilon: 0.2 }]).distribution(fromProbs([0.5, 0.3, 0.15, 0.05])))).toEqual([0, 1]);
  });

  it('min_keep keeps the most likely tokens and every token tied with the last of them', () => {
    expect(kept(createSampler([{ epsilon: { epsilon: 0.9, min_keep: 2 } }]).distribution(new Float32Array([3, 1, 1, 0])))).toEqual([0, 1, 2]);
  });
});
