import { describe, expect, it } from 'vitest';
import { createSampler } from './chain.js';
import type { ChainSpec } from './spec.js';

/** A row with ties, a long tail and removed tokens. */
function row(size: number, seed: number): Float32Array {
  const logits = new Float32Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    logits[i] = Math.round(((x / 2147483648) * 8 - Math.log(i + 1)) * 4) / 4;
  }
  logits[size - 1] = -Infinity;
  return logits;
}

describe('sampleMany', () => {
  const chains: (ChainSpec | string)[] = [
    'top_p=0.95',
    'temperature=1.5,top_p=0.95',
    'top_k=40,top_p=0.95,min_p=0.05,temperature=0.8',
    'typical_p=0.9',
    'greedy',
    [{ xtc: { threshold: 0.05, probability: 0.5 } }],
    [{ mirostat: { version: 2, tau: 3, eta: 0.1 } }],
  ];
  for (const chain of chains) {
    it(`counts what n calls of sample draw, seed for seed: ${JSON.stringify(chain)}`, () => {
      const drawsInside = /xtc|mirostat/.test(JSON.stringify(chain));
      const sizes = drawsInside ? ([[300, 'knobs'], [3000, 'llama.cpp']] as const) : ([[300, 'knobs'], [5000, 'llama.cpp'], [50_000, 'knobs']] as const);
      const n = drawsInside ? 300 : 2000;
      for (const [size, engine] of sizes) {
        const logits = row(size, size + 1);
        const loop = createSampler(chain, { seed: 9, engine });
        const expected = new Int32Array(size);
        for (let draw = 0; draw < n; draw++) {
          const id = loop.sample(logits);
          expected[id] = (expected[id] as number) + 1;
        }
        const many = createSampler(chain, { seed: 9, engine });
        const counts = new Int32Array(size);
        const result = many.sampleMany(logits, n, counts);
        expect(Array.from(counts)).toEqual(Array.from(expected));
        expect(result.fast).toBe(!drawsInside);
        // Both generators end in the same state: the next draws agree too.
        expect(many.sample(logits)).toBe(loop.sample(logits));
      }
    });
  }

  it('takes one run of the chain for 100,000 draws on a 200k vocabulary', () => {
    const logits = row(200_007, 3);
    const sampler = createSampler('temperature=1.5,top_p=0.95', { seed: 5 });
    const started = performance.now();
    const counts = new Int32Array(logits.length);
    expect(sampler.sampleMany(logits, 100_000, counts).fast).toBe(true);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(100_000);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
