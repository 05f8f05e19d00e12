import { describe, expect, it } from 'vitest';
import { chiSquareTest } from '../../src/analysis/chiSquare.js';
import { drawRest } from '../../src/decoding/restSampler.js';
import { Rng } from '../../src/samplers/rng.js';

const state = (n: number) => ({ cumulative: new Float64Array(n), total: -1 });

describe('drawRest', () => {
  it('draws the tokens not taken in proportion to their probability: .4 .3 .2 .1 without token 0 → 3/6, 2/6, 1/6', () => {
    const logits = Float32Array.from([0.4, 0.3, 0.2, 0.1], Math.log);
    const rng = new Rng(9);
    const s = state(4);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 6000; i++) {
      const token = drawRest(logits, 0, new Set([0]), s, rng);
      counts[token] = (counts[token] ?? 0) + 1;
    }
    expect(counts[0]).toBe(0);
    expect(chiSquareTest(counts.slice(1), [3, 2, 1]).pValue).toBeGreaterThan(1e-3);
  });

  it('falls back to an exact scan when the rest holds almost no mass, and gives −1 when nothing is left', () => {
    // token 2 has 1e-9 of the mass: rejection would almost never hit it; the scan does.
    const logits = Float32Array.from([0.6, 0.4 - 1e-9, 1e-9], Math.log);
    expect(drawRest(logits, 0, new Set([0, 1]), state(3), new Rng(1))).toBe(2);
    expect(drawRest(logits, 0, new Set([0, 1, 2]), state(3), new Rng(1))).toBe(-1);
  });

  it('never draws an impossible (−Infinity) token', () => {
    const logits = Float32Array.from([0, -Infinity, 0]);
    const rng = new Rng(2);
    const s = state(3);
    for (let i = 0; i < 200; i++) expect(drawRest(logits, 0, new Set([0]), s, rng)).toBe(2);
  });
});
