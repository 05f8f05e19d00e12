import { describe, expect, it } from 'vitest';
import { Candidates, createSampler, Rng } from '../index.js';
import { mirostatSampler } from './mirostat.js';

// probabilities 1/2, 1/4, 1/8, 1/8: surprises 1, 2, 3, 3 bits
const logits = Float32Array.from([0.5, 0.25, 0.125, 0.125], Math.log);

describe('mirostat', () => {
  it('selects exactly one token, and the chain returns it without another draw', () => {
    for (const version of [1, 2]) {
      const sampler = createSampler([{ mirostat: { version, tau: 5, eta: 0.1 } }], { seed: 4 });
      const probs = sampler.distribution(logits);
      expect(probs.filter((p) => p > 0)).toHaveLength(1);
      expect(probs.reduce((a, b) => a + b, 0)).toBe(1);
    }
    // one apply = one draw: sample() consumes exactly what drawToken does on the same candidates
    const rng = new Rng(9);
    const reference = new Rng(9);
    const candidates = new Candidates(4);
    candidates.load(logits);
    mirostatSampler({ version: 2, tau: 5, eta: 0.1 }).apply(candidates, { rng, generated: [], prompt: [] });
    reference.nextFloat();
    expect(rng.state()).toEqual(reference.state());
  });

  it('v2 keeps the tokens whose surprise is at most mu, and accept(id) moves mu', () => {
    // tau 2.5, eta 5: mu starts at 5 (all kept); accepting a 3-bit token gives mu = 5 − 5·(3 − 2.5) = 2.5.
    const sampler = mirostatSampler({ version: 2, tau: 2.5, eta: 5 });
    const candidates = new Candidates(4);
    const seen = new Set<number>();
    candidates.load(logits);
    sampler.apply(candidates, { rng: new Rng(1), generated: [], prompt: [] });
    sampler.accept?.(3);
    for (let seed = 0; seed < 200; seed++) {
      candidates.load(logits);
      sampler.apply(candidates, { rng: new Rng(seed), generated: [], prompt: [] });
      seen.add(candidates.ids[0] as number);
    }
    // surprises 1 and 2 bits pass mu = 2.5; the 3-bit tokens do not
    expect([...seen].sort()).toEqual([0, 1]);
  });

  it('reset() restores mu = 2 · tau', () => {
    const sampler = mirostatSampler({ version: 2, tau: 1.25, eta: 10 });
    const candidates = new Candidates(4);
    candidates.load(logits);
    sampler.apply(candidates, { rng: new Rng(1), generated: [], prompt: [] });
    sampler.accept?.(candidates.ids[0] as number);
    sampler.reset?.();
    // mu = 2.5 again (the accept moved it to 5, -5 or -15): tokens of 1 and 2 bits pass
    const seen = new Set<number>();
    for (let seed = 0; seed < 200; seed++) {
      candidates.load(logits);
      sampler.apply(candidates, { rng: new Rng(seed), generated: [], prompt: [] });
      seen.add(candidates.ids[0] as number);
    }
    expect([...seen].sort()).toEqual([0, 1]);
  });
});
