import { describe, expect, it } from 'vitest';
import { createSampler } from '../index.js';

const kept = (probs: Float32Array): number[] => Array.from(probs.keys()).filter((id) => (probs[id] as number) > 0);
const fromProbs = (probs: number[]): Float32Array => Float32Array.from(probs, Math.log);

describe('typical_p', () => {
  // Four equal tokens: every shifted score is 0 and the masses are exact binary fractions.
  const uniform = new Float32Array(4);

  it('knobs stops at the token whose mass reaches p (inclusive)', () => {
    expect(kept(createSampler([{ typical_p: 0.5 }]).distribution(uniform))).toEqual([0, 1]);
  });

  it('llama.cpp stops only once the mass exceeds p (strict)', () => {
    expect(kept(createSampler([{ typical_p: 0.5 }], { engine: 'llama.cpp' }).distribution(uniform))).toEqual([0, 1, 2]);
  });

  it('transformers keeps every token as typical as the crossing one', () => {
    expect(kept(createSampler([{ typical_p: 0.5 }], { engine: 'hf' }).distribution(uniform))).toEqual([0, 1, 2, 3]);
  });

  it('ranks by closeness of surprise to the entropy, not by probability', () => {
    // {0.6, 0.3, 0.1}: H = 0.898 nats; |−ln p − H| = 0.387, 0.306, 1.405 → 0.3 is the most typical.
    expect(kept(createSampler([{ typical_p: 0.2 }]).distribution(fromProbs([0.6, 0.3, 0.1])))).toEqual([1]);
    expect(kept(createSampler([{ typical_p: 0.5 }]).distribution(fromProbs([0.6, 0.3, 0.1])))).toEqual([0, 1]);
  });

  it('p = 1 is neutral and p = 0 keeps one token', () => {
    expect(kept(createSampler([{ typical_p: 1 }]).distribution(uniform))).toEqual([0, 1, 2, 3]);
    expect(kept(createSampler([{ typical_p: 0 }]).distribution(uniform))).toHaveLength(1);
  });
});
