import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { StageSpec } from '../../src/samplers/spec.js';
import { expectSameAsReference, mulberry32, samplers, tiedLogits, zipfLogits } from './helpers.js';

/**
 * Top-p's large-nucleus path (`massBracket.ts`): the bracket's items whose float64 prefix is
 * clearly below the cut join the mass above it, and only the rest go through the exact sums.
 * The fast results must equal the reference (`fast: 'off'`) on rows where that skip covers
 * most of the bracket: flat rows at high temperature, ties at the cut, -Infinity, min_keep.
 */
const rowArbitrary = fc
  .record({
    size: fc.integer({ min: 30_000, max: 70_000 }),
    seed: fc.integer({ min: 1, max: 1e9 }),
    shape: fc.constantFrom('zipf', 'noisy-zipf', 'levels', 'holes', 'tie-at-cut'),
  })
  .map(({ size, seed, shape }) => {
    const random = mulberry32(seed);
    let row: Float32Array;
    if (shape === 'zipf') row = zipfLogits(size, seed);
    else if (shape === 'noisy-zipf') row = zipfLogits(size, seed, 1.3).map((x) => x + Math.fround(random() * 1e-3));
    else if (shape === 'levels') row = tiedLogits(size, seed, 50 + (seed % 3000));
    else if (shape === 'holes') {
      row = zipfLogits(size, seed, 1.1);
      for (let i = 0; i < size; i++) if (random() < 0.3) row[i] = -Infinity;
    } else {
      // Distinct values over a tie group large enough to hold the cut.
      row = zipfLogits(size, seed, 1.4);
      for (let i = 0; i < size; i++) if (random() < 0.25) row[i] = -9.5;
    }
    return { row, shape };
  });

const chainArbitrary = fc
  .record({
    t: fc.constantFrom(1.5, 2, 3),
    p: fc.constantFrom(0.5, 0.9, 0.95, 0.99),
    minKeep: fc.constantFrom(1, 5, 3000),
  })
  .map(({ t, p, minKeep }): StageSpec[] => [{ temperature: t }, { top_p: { p, min_keep: minKeep } }]);

describe('top-p on large nuclei (the bracket with its skipped prefix)', () => {
  it('knobs and llama.cpp: the fast path gives the reference kept set, probabilities and draws', () => {
    fc.assert(
      fc.property(chainArbitrary, rowArbitrary, fc.constantFrom('knobs', 'llama.cpp'), fc.integer({ min: 0, max: 1000 }), (chain, { row, shape }, engine, seed) => {
        const set = samplers(chain, engine, seed);
        if (!set) return;
        expectSameAsReference(set, row, 3, `${engine} ${shape} ${JSON.stringify(chain)}`, ['wasm']);
      }),
      { numRuns: 30 },
    );
  }, 600_000);
});
