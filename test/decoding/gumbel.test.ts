import { describe, expect, it } from 'vitest';
import { gumbel, log1mexp, shiftGumbel, softplus, truncatedGumbel } from '../../src/decoding/gumbel.js';
import { Rng } from '../../src/samplers/rng.js';

describe('Gumbel helpers', () => {
  it('softplus(0) = ln 2 and log1mexp(ln ½) = ln ½, stable at the extremes', () => {
    expect(softplus(0)).toBeCloseTo(Math.LN2, 15);
    expect(softplus(800)).toBe(800);
    expect(softplus(-800)).toBe(0);
    expect(log1mexp(Math.log(0.5))).toBeCloseTo(Math.log(0.5), 15);
    expect(log1mexp(-1e-10)).toBeCloseTo(Math.log(1e-10), 6);
    expect(log1mexp(0)).toBe(-Infinity);
  });

  it('a standard Gumbel has mean γ = 0.5772 (20,000 draws, standard error 0.009)', () => {
    const rng = new Rng(3);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += gumbel(rng);
    expect(sum / 20_000).toBeCloseTo(0.5772, 1);
  });

  it('a truncated Gumbel never exceeds its bound', () => {
    const rng = new Rng(5);
    for (let i = 0; i < 1000; i++) expect(truncatedGumbel(2, -1, rng)).toBeLessThanOrEqual(-1);
  });

  it("shiftGumbel: the maximum child gets the parent's key, the others less, as −ln(e^−T − e^−Z + e^−g)", () => {
    expect(shiftGumbel(-1, 2, 2)).toBeCloseTo(-1, 12);
    // T = 0, Z = 1, g = 0: −ln(1 − e^−1 + 1) = −ln(2 − 1/e)
    expect(shiftGumbel(0, 1, 0)).toBeCloseTo(-Math.log(2 - Math.exp(-1)), 12);
    expect(shiftGumbel(0, 1, 0)).toBeLessThan(0);
  });
});
