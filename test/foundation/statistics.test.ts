import { describe, expect, it } from 'vitest';
import { chiSquareTest, sampleCounts } from '../../src/index.js';
import { gammaQ } from '../../src/analysis/gamma.js';
import { reference } from './reference.js';

describe('chi-square machinery (against published table values)', () => {
  it('upper tail probabilities match a chi-square table', () => {
    // chi-square critical values: P(X >= 3.841) = 0.05 at 1 df; P(X >= 11.070) = 0.05 at 5 df; P(X >= 23.209) = 0.01 at 10 df
    expect(gammaQ(0.5, 3.841 / 2)).toBeCloseTo(0.05, 4);
    expect(gammaQ(2.5, 11.07 / 2)).toBeCloseTo(0.05, 4);
    expect(gammaQ(5, 23.209 / 2)).toBeCloseTo(0.01, 4);
  });

  it('chiSquareTest by hand: counts 30/70 against 0.5/0.5 give chi2 = 16', () => {
    const result = chiSquareTest([30, 70], [0.5, 0.5]);
    expect(result.chi2).toBeCloseTo(16, 12);
    expect(result.degreesOfFreedom).toBe(1);
    expect(result.pValue).toBeCloseTo(6.334e-5, 7);
  });

  it('a draw in a cell of probability 0 gives p = 0', () => {
    expect(chiSquareTest([1, 5], [0, 1]).pValue).toBe(0);
  });
});

describe('sample frequencies follow distribution', () => {
  it('200,000 seeded draws through top-p = 0.9 on the 8-token example pass chi-square', () => {
    const logits = Float32Array.from(reference.top_p_8.logits as number[]);
    const result = sampleCounts(logits, [{ top_p: 0.9 }], 200_000, { seed: 7 });
    expect(Array.from(result.counts.slice(4))).toEqual([0, 0, 0, 0]);
    expect(result.degreesOfFreedom).toBe(3);
    expect(result.pValue).toBeGreaterThan(0.001);
    for (let id = 0; id < 4; id++) {
      expect((result.counts[id] as number) / 200_000).toBeCloseTo(reference.top_p_8.filtered[id], 2);
    }
  });

  it('100,000 draws at T = 1.5 over the 20 figure logits pass chi-square', () => {
    const logits = Float32Array.from(reference.temperature_figure.logits as number[]);
    const result = sampleCounts(logits, [{ temperature: 1.5 }], 100_000, { seed: 11 });
    expect(result.pValue).toBeGreaterThan(0.001);
    expect((result.counts[0] as number) / 100_000).toBeCloseTo(reference.temperature_figure.panels[3].probs[0], 2);
  });

  it('the same seed gives the same counts', () => {
    const logits = Float32Array.from(reference.top_p_8.logits as number[]);
    const a = sampleCounts(logits, 'top_p=0.9', 10_000, { seed: 7 });
    const b = sampleCounts(logits, 'top_p=0.9', 10_000, { seed: 7 });
    expect(Array.from(a.counts)).toEqual(Array.from(b.counts));
  });
});
