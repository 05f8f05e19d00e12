import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StageSpec } from '../../src/samplers/spec.js';
import { expectSameAsReference, mulberry32, samplers, tiedLogits, zipfLogits } from './helpers.js';

/** Zipf logits plus noise below 1e-3: no two values equal (the benchmark's all-distinct row). */
function distinctRow(size: number, seed: number): Float32Array {
  const random = mulberry32(seed + 7);
  return zipfLogits(size, seed, 1.1).map((x) => x + Math.fround(random() * 1e-3));
}

const rowArbitrary = fc
  .record({
    size: fc.integer({ min: 20_000, max: 40_000 }),
    seed: fc.integer({ min: 1, max: 1e9 }),
    shape: fc.constantFrom('distinct', 'ties', 'holes'),
  })
  .map(({ size, seed, shape }) => {
    const row = distinctRow(size, seed);
    const random = mulberry32(seed);
    if (shape === 'ties') {
      // Tie groups across the row (so at any cut): 5% of the ids copy one of 40 other ids' values.
      const sources = Array.from({ length: 40 }, () => Math.floor(random() * size));
      for (let i = 0; i < size; i++) if (random() < 0.05) row[i] = row[sources[Math.floor(random() * 40)] as number] as number;
    } else if (shape === 'holes') {
      for (let i = 0; i < size; i++) if (random() < 0.2) row[i] = -Infinity;
    }
    return { row, shape };
  });

const chainArbitrary = fc
  .record({
    t: fc.constantFrom(0.3, 0.5, 0.8, 1, 1.5, 2, 3),
    p: fc.constantFrom(0.2, 0.5, 0.9, 0.95, 0.99),
    minKeep: fc.constantFrom(0, 1, 5, 300),
  })
  .map(({ t, p, minKeep }): StageSpec[] => [{ temperature: t }, { typical_p: { p, min_keep: minKeep } }]);

describe('typical-p on large rows of mostly distinct values', () => {
  it('knobs and llama.cpp: the fast path gives the reference kept set, probabilities and draws (T 0.3 to 3, ties, -Infinity, min_keep)', () => {
    fc.assert(
      fc.property(chainArbitrary, rowArbitrary, fc.constantFrom('knobs', 'llama.cpp'), fc.integer({ min: 0, max: 1000 }), (chain, { row, shape }, engine, seed) => {
        const set = samplers(chain, engine, seed);
        if (!set) return;
        expectSameAsReference(set, row, 3, `${engine} ${shape} ${JSON.stringify(chain)}`);
      }),
      { numRuns: 30 },
    );
  }, 600_000);

  it('knobs and llama.cpp keep all-distinct rows on the fast path at every temperature', () => {
    const rows = [distinctRow(50_000, 1), distinctRow(50_000, 2)];
    for (const engine of ['knobs', 'llama.cpp']) {
      for (const t of [0.3, 0.5, 0.8, 1, 1.5, 2, 3]) {
        const set = samplers(`temperature=${t},typical_p=0.95`, engine, 3);
        if (!set) throw new Error(`${engine} typical-p has a fast form`);
        for (const row of rows) expectSameAsReference(set, row, 2, `${engine} T=${t}`);
        for (const kind of ['wasm', 'ts'] as const) {
          const stats = set.fast[kind].fastPath.stats;
          expect({ engine, t, kind, fallbacks: stats?.fallbacks, reason: stats?.lastReason }).toEqual({ engine, t, kind, fallbacks: 0, reason: '' });
        }
      }
    }
  }, 600_000);

  it('llama.cpp on rows of few values: the kept tokens drawn in typicality order (small kept sets, every temperature)', () => {
    const rows = [tiedLogits(50_000, 4, 300), tiedLogits(50_000, 5, 2000)];
    for (const t of [0.3, 0.8, 1.5, 3]) {
      for (const p of [0.2, 0.5, 0.9]) {
        const set = samplers(`temperature=${t},typical_p=${p}`, 'llama.cpp', 9);
        if (!set) throw new Error('llama.cpp typical-p has a fast form');
        for (const row of rows) expectSameAsReference(set, row, 6, `T=${t} p=${p}`);
        expect(set.fast.wasm.fastPath.stats?.fallbacks).toBe(0);
      }
    }
  }, 600_000);

  it('llama.cpp on all-distinct rows with stages before and after typical-p (min-p, top-n-sigma, temperature)', () => {
    const rows = [distinctRow(30_000, 6), distinctRow(30_000, 7)];
    for (const chain of ['min_p=0.0001,typical_p=0.9', 'typical_p=0.9,min_p=0.0001', 'temperature=0.7,min_p=0.00001,typical_p=0.95', 'top_n_sigma=3,typical_p=0.9', [{ typical_p: { p: 0.3, min_keep: 50 } }]]) {
      const set = samplers(chain, 'llama.cpp', 4);
      if (!set) throw new Error('llama.cpp typical-p has a fast form');
      for (const row of rows) expectSameAsReference(set, row, 6, JSON.stringify(chain));
    }
  }, 600_000);
});
