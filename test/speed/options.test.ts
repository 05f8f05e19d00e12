import { describe, expect, it } from 'vitest';
import { createSampler } from '../../src/samplers/chain.js';
import { tiedLogits, zipfLogits } from './helpers.js';

describe("createSampler's fast option", () => {
  it("'auto' takes the fast path from 1,024 tokens, 'force' for every size, 'off' never", () => {
    const small = zipfLogits(500, 1);
    const large = zipfLogits(5000, 1);
    const auto = createSampler('temperature=0.8,top_p=0.95', { seed: 1 });
    auto.sample(small);
    expect(auto.fastPath.stats).toBeNull();
    auto.sample(large);
    expect(auto.fastPath.stats?.rows).toBe(1);
    const force = createSampler('temperature=0.8,top_p=0.95', { seed: 1, fast: 'force' });
    force.sample(small);
    expect(force.fastPath.stats?.rows).toBe(1);
    const off = createSampler('temperature=0.8,top_p=0.95', { seed: 1, fast: 'off' });
    off.sample(large);
    expect(off.fastPath).toEqual({ enabled: false, reason: "fast: 'off'", stats: null });
  });

  it('says why a chain has no fast path, and force refuses it', () => {
    const sampler = createSampler('xtc=0.1,top_p=0.9', { seed: 1 });
    expect(sampler.fastPath.enabled).toBe(false);
    expect(sampler.fastPath.reason).toBe('xtc has no fast form');
    expect(() => createSampler('xtc=0.1', { fast: 'force' })).toThrow(/fast: 'force' but the chain has no fast path \(xtc has no fast form\)/);
    expect(createSampler('top_p=0.9', { engine: 'hf' }).fastPath.reason).toMatch(/^top_p: top_p rule suffix-float32: transformers' and vLLM's float64 softmax/);
    expect(() => createSampler('top_p=0.9', { fast: 'sometimes' as 'auto' })).toThrow(/fast/);
  });
});

describe('inputBuffer', () => {
  it('takes logits written into the kernel memory without a copy, with the same results', () => {
    const row = tiedLogits(20_000, 4);
    for (const chain of ['greedy', 'temperature=1.2,top_p=0.95', 'top_k=40,temperature=0.8']) {
      const buffered = createSampler(chain, { seed: 3 });
      const plain = createSampler(chain, { seed: 3 });
      for (let step = 0; step < 5; step++) {
        const input = buffered.inputBuffer(row.length);
        expect(input.length).toBe(row.length);
        input.set(row);
        expect(buffered.sample(input)).toBe(plain.sample(row));
        // The input is left as written: a later call sees the same row.
        expect(input[123]).toBe(row[123]);
      }
      expect(buffered.fastPath.stats?.fallbacks).toBe(0);
    }
  });

  it('is a plain array without a fast path, and a fresh view after the vocabulary grows', () => {
    const reference = createSampler('greedy', { fast: 'off' });
    expect(reference.inputBuffer(10)).toBeInstanceOf(Float32Array);
    const sampler = createSampler('greedy');
    const first = sampler.inputBuffer(2000);
    first.set(zipfLogits(2000, 2));
    expect(sampler.sample(first)).toBe(createSampler('greedy').sample(zipfLogits(2000, 2)));
    const larger = sampler.inputBuffer(300_000);
    expect(larger.length).toBe(300_000);
    larger.set(zipfLogits(300_000, 3));
    expect(sampler.sample(larger)).toBe(createSampler('greedy').sample(zipfLogits(300_000, 3)));
  });
});
