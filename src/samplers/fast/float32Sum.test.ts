import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Float32Run } from './float32Sum.js';

/** The loop it replaces: one float32 addition per token. */
function loop(start: number, q: number, count: number, target: number): { taken: number; sum: number } {
  let s = Math.fround(start);
  for (let i = 1; i <= count; i++) {
    s = Math.fround(s + q);
    if (s >= target) return { taken: i, sum: s };
  }
  return { taken: 0, sum: s };
}

describe('Float32Run', () => {
  it('gives what one float32 addition per token gives', () => {
    const value = fc.oneof(
      fc.float({ min: 0, max: 1, noNaN: true }),
      fc.integer({ min: -40, max: 0 }).map((e) => 2 ** e),
      fc.integer({ min: -30, max: 0 }).map((e) => 2 ** e * 1.5), // exact ties with half an ulp
      fc.float({ min: Math.fround(1e-9), max: Math.fround(1e-6), noNaN: true }),
    );
    fc.assert(
      fc.property(value, value, fc.integer({ min: 1, max: 200_000 }), fc.float({ min: 0, max: 2, noNaN: true }), (start, q, count, target) => {
        const run = new Float32Run();
        run.start(start);
        const expected = loop(start, Math.fround(q), count, Math.fround(target));
        expect(run.addUntil(Math.fround(q), count, Math.fround(target))).toBe(expected.taken);
        expect(run.sum).toBe(expected.sum);
      }),
      { numRuns: 400 },
    );
  });

  it('stops growing once q is below half an ulp of the sum (llama.cpp keeps adding tokens)', () => {
    const run = new Float32Run();
    run.start(0.9);
    expect(run.addUntil(2.9e-8, 1_000_000, 0.95)).toBe(0);
    expect(run.sum).toBe(Math.fround(0.9));
  });
});
