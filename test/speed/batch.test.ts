import { describe, expect, it } from 'vitest';
import { createSampler } from '../../src/samplers/chain.js';
import { createBatchSampler } from '../../src/samplers/fastBatch.js';
import type { ChainSpec } from '../../src/samplers/spec.js';
import { zipfLogits } from './helpers.js';

describe('createBatchSampler', () => {
  const V = 8000;
  const rows = 5;
  const chains: (string | ChainSpec)[] = ['temperature=0.8,top_p=0.95', 'top_k=40,top_p=0.95,min_p=0.05,temperature=0.8', 'greedy', 'temperature=2,top_p=0.95', [{ penalties: { repeat: 1.3 } }, { top_k: 20 }]];
  for (const chain of chains) {
    it(`row r draws what createSampler with seed + r draws: ${JSON.stringify(chain)}`, () => {
      const flat = new Float32Array(rows * V);
      const views: Float32Array[] = [];
      for (let r = 0; r < rows; r++) {
        flat.set(zipfLogits(V, 100 + r), r * V);
        views.push(flat.subarray(r * V, (r + 1) * V));
      }
      const batch = createBatchSampler(chain, { rows, seed: 7 });
      const perRow = createBatchSampler(chain, { rows, seed: 7 });
      const singles = Array.from({ length: rows }, (_, r) => createSampler(chain, { seed: 7 + r, fast: 'off' }));
      const out = new Int32Array(rows);
      for (let step = 0; step < 6; step++) {
        const tokens = batch.sample(flat);
        expect(Array.from(perRow.sample(views, out))).toEqual(Array.from(tokens));
        expect(Array.from(tokens)).toEqual(singles.map((s, r) => s.sample(views[r] as Float32Array)));
        batch.accept(tokens);
        perRow.accept(tokens);
        singles.forEach((s, r) => s.accept(tokens[r] as number));
      }
      const probs = batch.distribution(flat);
      for (let r = 0; r < rows; r++) {
        const expected = (singles[r] as ReturnType<typeof createSampler>).distribution(views[r] as Float32Array);
        const actual = probs.subarray(r * V, (r + 1) * V);
        for (let i = 0; i < V; i++) expect((actual[i] as number) === 0).toBe((expected[i] as number) === 0);
      }
    });
  }

  it('checks its inputs', () => {
    expect(() => createBatchSampler('greedy', { rows: 0 })).toThrow(/rows/);
    const batch = createBatchSampler('greedy', { rows: 2 });
    expect(() => batch.sample(new Float32Array(7))).toThrow(/multiple of 2/);
    expect(() => createBatchSampler('greedy', { rows: 2, seeds: [1] })).toThrow(/seeds/);
  });
});
