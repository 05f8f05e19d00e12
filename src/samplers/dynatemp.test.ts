import { describe, expect, it } from 'vitest';
import { createSampler } from '../index.js';

describe('dynatemp', () => {
  it('scales the temperature with the normalised entropy', () => {
    // [2, 0]: p = (0.8808, 0.1192), H / ln 2 = 0.5271, t = 0 + 2 · 0.5271 = 1.0541 → p0 = 1 / (1 + e^(−2 / 1.0541)) = 0.869586
    expect(createSampler([{ dynatemp: { t: 1, range: 1, exponent: 1 } }]).distribution(new Float32Array([2, 0]))[0]).toBeCloseTo(0.869585, 5);
  });

  it('range 0 is plain temperature, and t = 0 is greedy', () => {
    const logits = new Float32Array([1, 0]);
    expect(createSampler([{ dynatemp: { t: 0.5, range: 0 } }]).distribution(logits)[0]).toBeCloseTo(1 / (1 + Math.exp(-2)), 6);
    expect(Array.from(createSampler([{ dynatemp: 0 }]).distribution(logits))).toEqual([1, 0]);
  });
});
