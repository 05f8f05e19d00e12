import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSampler } from '../../src/samplers/chain.js';
import type { StageSpec } from '../../src/samplers/spec.js';
import { expectSameAsReference, mulberry32, samplers, tiedLogits, zipfLogits } from './helpers.js';

const ENGINES = ['knobs', 'llama.cpp', 'hf', 'vllm'];

const PIPELINES: Record<string, string> = {
  P1: 'temperature=0.8,top_p=0.95',
  P2: 'top_k=40,top_p=0.95,min_p=0.05,temperature=0.8',
  P3: 'greedy',
  'T=0.5': 'temperature=0.5,top_p=0.95',
  'T=1.0': 'temperature=1,top_p=0.95',
  'T=1.5': 'temperature=1.5,top_p=0.95',
  'T=2.0': 'temperature=2,top_p=0.95',
  'top_k only': 'top_k=40,temperature=0.8',
  'min_p first': 'temperature=0.7,min_p=0.05,top_k=50,top_p=0.9',
  typical: 'typical_p=0.95',
  'top-n-sigma': 'top_n_sigma=1',
  epsilon: 'epsilon=3e-4',
  eta: 'eta=0.0009',
  'no stages': [] as unknown as string,
};

describe('the fast path gives the reference results on the benchmark rows', () => {
  for (const [name, chain] of Object.entries(PIPELINES)) {
    it(`${name} (${JSON.stringify(chain)}), every engine, V = 32000`, () => {
      for (const engine of ENGINES) {
        const set = samplers(chain, engine, 11);
        if (!set) continue;
        for (let row = 1; row <= 2; row++) expectSameAsReference(set, zipfLogits(32000, row), 6, `${name} ${engine} Zipf ${row}`);
        expectSameAsReference(set, tiedLogits(32000, 5), 6, `${name} ${engine} tied`);
      }
    });
  }

  it('takes the fast path on those rows (no fallback), including large nuclei', () => {
    for (const chain of Object.values(PIPELINES)) {
      for (const engine of ['knobs', 'llama.cpp']) {
        let sampler;
        try {
          sampler = createSampler(chain, { seed: 1, engine, fast: 'force', kernel: 'wasm' });
        } catch {
          continue; // not available under this engine
        }
        const rows = /typical|eta/.test(JSON.stringify(chain)) ? [tiedLogits(32000, 1), tiedLogits(32000, 2)] : [zipfLogits(32000, 1), zipfLogits(32000, 2), tiedLogits(32000, 3)];
        for (const row of rows) sampler.sample(row);
        expect(sampler.fastPath.stats?.rows, `${engine} ${JSON.stringify(chain)}`).toBe(rows.length);
        expect(sampler.fastPath.stats?.fallbacks, `${engine} ${JSON.stringify(chain)}: ${sampler.fastPath.stats?.lastReason}`).toBe(0);
      }
    }
  });

  it('P1 and T = 2.0 at V = 262144', () => {
    for (const chain of [PIPELINES.P1 as string, PIPELINES['T=2.0'] as string]) {
      const set = samplers(chain, 'knobs', 5);
      if (set) expectSameAsReference(set, zipfLogits(262144, 9), 4, chain);
    }
  });
});

describe('adversarial rows', () => {
  const V = 5000;
  const equal = new Float32Array(V).fill(1.5);
  const tiedTop = zipfLogits(V, 3);
  for (let i = 0; i < 300; i += 3) tiedTop[i * 7] = 3; // 100 tokens tied at the maximum
  const tiedCut = new Float32Array(V);
  for (let i = 0; i < V; i++) tiedCut[i] = -Math.floor(i / 10); // groups of 10 equal logits
  const single = new Float32Array(V).fill(-Infinity);
  single[1234] = -3;
  const halfDead = zipfLogits(V, 4);
  for (let i = 0; i < V; i += 2) halfDead[i] = -Infinity;
  const huge = zipfLogits(V, 5).map((x) => x * 3000);
  const near = zipfLogits(V, 6).map((x) => 1e4 + x);
  const rows: Record<string, ArrayLike<number>> = { equal, tiedTop, tiedCut, single, halfDead, huge, near, plain: Array.from(zipfLogits(V, 7)) };
  const chains: (StageSpec[] | string)[] = [
    'top_p=0', 'top_p=1', 'top_p=0.5', 'top_p=0.999999', 'top_k=1', 'top_k=10', 'top_k=15', 'top_k=5001', 'top_k=40,top_p=0.3',
    'min_p=1', 'min_p=0.5', 'min_p=0.999', 'temperature=0', 'temperature=10000,top_p=0.9', 'temperature=0.0001,top_p=0.9',
    'temperature=3,top_p=0.95', 'temperature=1e-6', 'greedy', 'top_p=0.9,min_p=0.1,top_k=7', 'temperature=1.5,top_p=0.95,min_p=0.001',
    [{ top_p: { p: 0.5, min_keep: 20 } }], [{ min_p: { p: 0.9, min_keep: 30 } }], [{ top_k: { k: 3, min_keep: 12 } }],
    'top_p=0.9,temperature=0.5,top_p=0.5', 'min_p=0.2,top_p=0.99999999', 'typical_p=0.5', 'typical_p=0.99,top_p=0.9',
    [{ typical_p: { p: 0.2, min_keep: 5 } }], 'top_n_sigma=0.5', 'top_n_sigma=3,top_p=0.9', 'epsilon=0.001', 'eta=0.01', [{ epsilon: { epsilon: 0.5, min_keep: 3 } }],
  ];
  for (const chain of chains) {
    it(`${JSON.stringify(chain)}`, () => {
      for (const engine of ENGINES) {
        const set = samplers(chain, engine, 3);
        if (!set) continue;
        for (const [name, row] of Object.entries(rows)) expectSameAsReference(set, row, 5, `${engine} ${name}`);
      }
    });
  }

  it('rejects invalid rows with the reference errors', () => {
    const set = samplers('temperature=0.8,top_p=0.9', 'knobs', 1);
    if (!set) throw new Error('unreachable');
    const nan = zipfLogits(3000, 1);
    nan[17] = NaN;
    const inf = zipfLogits(3000, 1);
    inf[5] = Infinity;
    const dead = new Float32Array(3000).fill(-Infinity);
    for (const row of [nan, inf, dead, [1e300, 0, 0]]) expectSameAsReference(set, row, 2, 'invalid');
  });
});

/** A random chain of the stages the fast path handles, with edge values included. */
const stageArbitrary: fc.Arbitrary<StageSpec> = fc.oneof(
  fc.constantFrom(0, 1e-3, 0.05, 0.5, 0.8, 1, 1.3, 2, 3, 100).map((t) => ({ temperature: t })),
  fc.constantFrom(0, 1, 2, 5, 40, 500, 4100, 9000).map((k) => ({ top_k: k })),
  fc.record({ p: fc.constantFrom(0, 0.1, 0.5, 0.9, 0.95, 0.999, 1), min_keep: fc.constantFrom(0, 1, 3, 50) }).map((top_p) => ({ top_p })),
  fc.record({ p: fc.constantFrom(0, 0.001, 0.05, 0.3, 0.9, 1), min_keep: fc.constantFrom(0, 1, 2, 60) }).map((min_p) => ({ min_p })),
  fc.record({ p: fc.constantFrom(0.2, 0.5, 0.9, 0.95, 1), min_keep: fc.constantFrom(0, 1, 2) }).map((typical_p) => ({ typical_p })),
  fc.record({ n: fc.constantFrom(0, 0.5, 1, 2), min_keep: fc.constantFrom(0, 1, 5) }).map((top_n_sigma) => ({ top_n_sigma })),
  fc.record({ epsilon: fc.constantFrom(0, 1e-4, 3e-4, 0.01, 0.2), min_keep: fc.constantFrom(0, 1, 4) }).map((epsilon) => ({ epsilon })),
  fc.record({ eta: fc.constantFrom(0, 9e-4, 0.01), min_keep: fc.constantFrom(0, 1, 4) }).map((eta) => ({ eta })),
  fc.constant({ greedy: true }),
);

/** Random rows: Zipf, Gaussian-like, heavily tied, with -Infinity holes. */
const rowArbitrary = fc
  .record({
    size: fc.integer({ min: 1, max: 6000 }),
    seed: fc.integer({ min: 1, max: 1e9 }),
    shape: fc.constantFrom('zipf', 'normal', 'ties', 'holes', 'flat', 'levels'),
    scale: fc.constantFrom(0.01, 1, 3, 40),
  })
  .map(({ size, seed, shape, scale }) => {
    const random = mulberry32(seed);
    const row = shape === 'zipf' || shape === 'holes' ? zipfLogits(size, seed) : shape === 'levels' ? tiedLogits(size, seed, 1 + (seed % 300)) : new Float32Array(size);
    for (let i = 0; i < size; i++) {
      if (shape === 'normal') row[i] = (random() + random() + random() - 1.5) * 4;
      else if (shape === 'ties') row[i] = Math.floor(random() * 6);
      else if (shape === 'flat') row[i] = random() * 1e-3;
      else if (shape === 'holes' && random() < 0.3) row[i] = -Infinity;
      row[i] = (row[i] as number) * scale;
    }
    if (shape === 'holes') row[Math.floor(random() * size)] = 1;
    return row;
  });

describe('property: random chains on random rows', () => {
  it('fast paths (WebAssembly and TypeScript) equal the reference', () => {
    fc.assert(
      fc.property(fc.array(stageArbitrary, { minLength: 0, maxLength: 4 }), rowArbitrary, fc.constantFrom(...ENGINES), fc.integer({ min: 0, max: 1000 }), (chain, row, engine, seed) => {
        const set = samplers(chain, engine, seed);
        if (!set) return;
        expectSameAsReference(set, row, 4, `${engine} ${JSON.stringify(chain)}`);
      }),
      { numRuns: 250 },
    );
  });
});

/**
 * Large-nucleus rows: tens of thousands of tokens, temperatures up to 3, flat tails, tie
 * groups straddling the cut, -Infinity holes — where the fast path takes its bracket, groups
 * and exact-sum paths.
 */
const largeRowArbitrary = fc
  .record({
    size: fc.integer({ min: 20_000, max: 50_000 }),
    seed: fc.integer({ min: 1, max: 1e9 }),
    shape: fc.constantFrom('levels', 'noisy-zipf', 'flat-tail', 'straddle', 'holes'),
  })
  .map(({ size, seed, shape }) => {
    const random = mulberry32(seed);
    let row: Float32Array;
    if (shape === 'levels') row = tiedLogits(size, seed, 20 + (seed % 2000));
    else if (shape === 'noisy-zipf') row = zipfLogits(size, seed, 1.1).map((x) => x + Math.fround(random() * 1e-3));
    else if (shape === 'flat-tail') {
      // A head of a few hundred distinct values over a tail that is one tie group.
      row = new Float32Array(size).fill(-12);
      for (let i = 0; i < 300; i++) row[Math.floor(random() * size)] = -random() * 8;
    } else if (shape === 'straddle') {
      // Two big tie groups whose boundary sits near 95% of the mass.
      row = new Float32Array(size);
      for (let i = 0; i < size; i++) row[i] = random() < 0.02 ? -1 - random() * 3 : random() < 0.5 ? -7.25 : -7.5;
    } else {
      row = zipfLogits(size, seed, 1.2);
      for (let i = 0; i < size; i++) if (random() < 0.2) row[i] = -Infinity;
    }
    return { row, shape };
  });

const largeChainArbitrary = fc
  .record({
    t: fc.constantFrom(0.7, 1, 1.5, 2, 3),
    stage: fc.constantFrom<StageSpec>({ top_p: 0.95 }, { top_p: 0.5 }, { top_p: { p: 0.9, min_keep: 3 } }, { typical_p: 0.95 }, { typical_p: 0.5 }, { min_p: 0.05 }, { top_n_sigma: 1 }, { epsilon: 3e-4 }, { eta: 9e-4 }, { top_k: 2000 }),
  })
  .map(({ t, stage }) => [{ temperature: t }, stage]);

describe('property: large nuclei, every engine profile', () => {
  it('the fast path (WebAssembly kernel) gives the reference kept set, probabilities and draws', () => {
    fc.assert(
      fc.property(largeChainArbitrary, largeRowArbitrary, fc.constantFrom(...ENGINES), fc.integer({ min: 0, max: 1000 }), (chain, { row, shape }, engine, seed) => {
        const set = samplers(chain, engine, seed);
        if (!set) return;
        expectSameAsReference(set, row, 3, `${engine} ${shape} ${JSON.stringify(chain)}`, ['wasm']);
      }),
      { numRuns: 40 },
    );
  }, 600_000);

  it('exact boundaries: a total that p splits exactly, decided with exact sums', () => {
    // 32,768 equal weights: p·total lands exactly on a token boundary.
    const uniform = new Float32Array(32_768);
    const twoLevels = new Float32Array(32_768);
    for (let i = 0; i < twoLevels.length; i++) twoLevels[i] = i % 4 === 0 ? Math.log(3) : 0; // masses 3/6 and 3/6
    for (const chain of ['top_p=0.5', 'top_p=0.25', 'top_p=0.75', 'typical_p=0.5', 'epsilon=0.00003051757812', 'temperature=1.5,top_p=0.5']) {
      for (const engine of ENGINES) {
        const set = samplers(chain, engine, 2);
        if (!set) continue;
        expectSameAsReference(set, uniform, 3, `${engine} uniform ${chain}`);
        expectSameAsReference(set, twoLevels, 3, `${engine} two levels ${chain}`);
      }
    }
  }, 600_000);
});
