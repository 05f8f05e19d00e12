import { describe, expect, it } from 'vitest';
import { sampleCounts } from '../../src/analysis/sampleCounts.js';
import { ENGINE_NAMES, getProfile } from '../../src/samplers/profiles.js';
import { samplerDefinitions } from '../../src/samplers/registry.js';
import type { StageSpec } from '../../src/samplers/spec.js';
import { drawMany } from '../../web/src/analysis/draws.js';
import { initialParams, stageSpec } from '../../web/src/state/stages.js';

/** Logits with ties, a long tail and a removed token, over `size` ids. */
function logitsOf(size: number, seed: number): Float32Array {
  const logits = new Float32Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    logits[i] = Math.round(((x / 2147483648) * 8 - Math.log(i + 1)) * 4) / 4;
  }
  logits[size - 1] = -Infinity;
  return logits;
}

const chains: { name: string; chain: StageSpec[] }[] = [
  { name: 'empty', chain: [] },
  { name: 'common', chain: [{ top_k: 40 }, { top_p: 0.95 }, { min_p: 0.05 }, { temperature: 0.8 }] },
  { name: 'greedy by temperature 0', chain: [{ temperature: 0 }] },
  ...samplerDefinitions().map((definition) => ({
    name: `every sampler: ${definition.name}`,
    chain: [{ top_k: 30 }, stageSpec({ key: 0, name: definition.name, params: initialParams(definition.name), enabled: true }), { temperature: 1.3 }],
  })),
];

describe('drawMany (the playground\'s draws)', () => {
  for (const { name, chain } of chains) {
    it(`gives exactly sampleCounts' counts: ${name}`, async () => {
      const names = chain.map((stage) => Object.keys(stage)[0] as string);
      for (const engine of ENGINE_NAMES.filter((name) => names.every((sampler) => getProfile(name).supported.includes(sampler)))) {
        for (const [seed, size] of [[0, 300], [7, 300], [123456789, 4096]] as const) {
          const logits = logitsOf(size, seed + 1);
          const options = { seed, engine, history: [3, 1, 4, 1, 5], prompt: [9, 2, 6] };
          let expected: ReturnType<typeof sampleCounts>;
          try {
            expected = sampleCounts(logits, chain, 1000, options);
          } catch (error) {
            // A setting this engine refuses (temperature 0 under transformers): refused the same way.
            await expect(drawMany(logits, chain, 1000, options)).rejects.toThrow((error as Error).message);
            continue;
          }
          const actual = await drawMany(logits, chain, 1000, options);
          expect(Array.from(actual.counts)).toEqual(Array.from(expected.counts));
          expect(Array.from(actual.expected)).toEqual(Array.from(expected.expected));
          expect(actual.chi2).toBe(expected.chi2);
          expect(actual.pValue).toBe(expected.pValue);
        }
      }
    });
  }

  it('takes the fast path for chains that do not draw inside, and is fast on a 200k vocabulary', async () => {
    const logits = logitsOf(200_007, 3);
    const started = performance.now();
    const draws = await drawMany(logits, [{ top_k: 1000 }, { temperature: 0.8 }], 10_000, { seed: 5 });
    expect(draws.fast).toBe(true);
    expect(performance.now() - started).toBeLessThan(5_000);
    const few = sampleCounts(logits, [{ top_k: 1000 }, { temperature: 0.8 }], 20, { seed: 5 });
    const again = await drawMany(logits, [{ top_k: 1000 }, { temperature: 0.8 }], 20, { seed: 5 });
    expect(Array.from(again.counts)).toEqual(Array.from(few.counts));
  });

  it('reports the first token drawn', async () => {
    const logits = logitsOf(50, 9);
    const one = await drawMany(logits, [{ temperature: 1 }], 1, { seed: 11 });
    expect(one.counts[one.first]).toBe(1);
  });

  it('runs chains that draw inside (xtc) the slow way, in slices with progress', async () => {
    const logits = logitsOf(300, 4);
    const chain = [{ xtc: { threshold: 0.05, probability: 0.5 } }];
    const progress: number[] = [];
    const draws = await drawMany(logits, chain, 1000, { seed: 3 }, (done) => {
      progress.push(done);
    }, 250);
    expect(draws.fast).toBe(false);
    expect(progress).toEqual([250, 500, 750]);
    expect(Array.from(draws.counts)).toEqual(Array.from(sampleCounts(logits, chain, 1000, { seed: 3 }).counts));
  });
});
