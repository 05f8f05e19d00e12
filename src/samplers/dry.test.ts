import { describe, expect, it } from 'vitest';
import { createSampler } from '../index.js';

const logitsAfter = (breakers: number[]): number[] => {
  // Uniform logits: the token after a penalised one keeps its share; compare probabilities.
  const probs = createSampler([{ dry: { multiplier: 1, base: 2, allowed_length: 2, breakers } }], { history: [5, 1, 2, 9, 1, 2] }).distribution(new Float32Array(10));
  return Array.from(probs, (p) => Math.log(p / (probs[0] as number)));
};

describe('dry', () => {
  it('penalises the token that would extend a repeated run by multiplier · base^(L − allowed)', () => {
    // context 5 1 2 9 1 2: the suffix "1 2" occurred before, followed by 9 → 9 loses 1·2^0.
    const logits = logitsAfter([]);
    expect(logits[9]).toBeCloseTo(-1, 6);
    expect(logits.filter((l, id) => id !== 9).every((l) => Math.abs(l) < 1e-6)).toBe(true);
  });

  it('never penalises a single-token sequence breaker', () => {
    expect(logitsAfter([9]).every((l) => Math.abs(l) < 1e-6)).toBe(true);
  });

  it('does nothing at multiplier 0 or with a context no longer than allowed_length', () => {
    const uniform = new Float32Array(4);
    expect(Array.from(createSampler([{ dry: 0 }], { history: [0, 1, 0, 1] }).distribution(uniform))).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(Array.from(createSampler([{ dry: { multiplier: 1, allowed_length: 2 } }], { history: [0, 1] }).distribution(uniform))).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
});
