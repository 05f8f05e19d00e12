import { describe, expect, it } from 'vitest';
import { Candidates, createSampler, getProfile, Rng, type Sampler } from '../index.js';
import { adaptivePSampler } from './adaptiveP.js';

// p = {0.5, 0.3, 0.2}
const logits = Float32Array.from([0.5, 0.3, 0.2], Math.log);

/** Frequencies of the token selected by `n` applies with seeds 0 … n−1 (nothing accepted). */
function frequencies(sampler: Sampler, n = 4000): number[] {
  const counts = [0, 0, 0];
  const candidates = new Candidates(3);
  for (let seed = 0; seed < n; seed++) {
    candidates.load(logits);
    sampler.apply(candidates, { rng: new Rng(seed), generated: [], prompt: [] });
    expect(candidates.size).toBe(1);
    counts[candidates.ids[0] as number]! += 1;
  }
  return counts.map((count) => count / n);
}

/** Applies with increasing seeds until `token` is drawn, then accepts it. */
function drawAndAccept(sampler: Sampler, token: number): void {
  const candidates = new Candidates(3);
  for (let seed = 0; ; seed++) {
    candidates.load(logits);
    sampler.apply(candidates, { rng: new Rng(seed), generated: [], prompt: [] });
    if (candidates.ids[0] === token) break;
  }
  sampler.accept?.(token);
}

const knobs = getProfile('knobs');

describe('adaptive_p', () => {
  it('draws from the bump around the adapted target: logit 5 − 10·d²/(1 + d), d = |p − t\'| / 0.3', () => {
    // target 0.3, start S/W = 0.3 → t' = 0.3: d = {2/3, 0, 1/3} → logits {2.3333, 5, 4.1667}
    // → softmax {0.04620, 0.66486, 0.28895}
    const observed = frequencies(adaptivePSampler({ target: 0.3, decay: 0.9 }, knobs));
    [0.0462, 0.66486, 0.28895].forEach((expected, id) => expect(Math.abs((observed[id] as number) - expected)).toBeLessThan(0.025));
  });

  it('learns on accept: after a likelier token than the target it aims lower', () => {
    // decay 0: the average is the last accepted p. Accept p = 0.5 → t' = 2·0.3 − 0.5 = 0.1
    // → d = {4/3, 2/3, 1/3} → softmax {0.00097, 0.13771, 0.86132}
    const sampler = adaptivePSampler({ target: 0.3, decay: 0 }, knobs);
    drawAndAccept(sampler, 0);
    const observed = frequencies(sampler);
    [0.00097, 0.13771, 0.86132].forEach((expected, id) => expect(Math.abs((observed[id] as number) - expected)).toBeLessThan(0.025));
    // reset() forgets it: back to t' = 0.3
    sampler.reset?.();
    expect(frequencies(sampler)[1]).toBeGreaterThan(0.6);
  });

  it('a token accepted that it did not draw teaches it nothing', () => {
    const sampler = adaptivePSampler({ target: 0.3, decay: 0 }, knobs);
    drawAndAccept(sampler, 1); // p = 0.3: t' stays 0.3
    expect(frequencies(sampler)[1]).toBeGreaterThan(0.6);
  });

  it('koboldcpp learns at its own draw (decay clamped to 0.01): applies alone move it', () => {
    // after drawing token 0 (p = 0.5): S = 0.5 + 0.01·0.30303, W = 1.0101: t' = 0.6 − 0.498 = 0.102
    const sampler = adaptivePSampler({ target: 0.3, decay: 0 }, getProfile('koboldcpp'));
    const candidates = new Candidates(3);
    for (let seed = 0; ; seed++) {
      const copy = sampler.clone?.() as Sampler;
      candidates.load(logits);
      copy.apply(candidates, { rng: new Rng(seed), generated: [], prompt: [] });
      if (candidates.ids[0] !== 0) continue;
      candidates.load(logits);
      sampler.apply(candidates, { rng: new Rng(seed), generated: [], prompt: [] });
      break;
    }
    const after = sampler.clone?.() as Sampler;
    const counts = [0, 0, 0];
    for (let seed = 0; seed < 4000; seed++) {
      const copy = after.clone?.() as Sampler;
      candidates.load(logits);
      copy.apply(candidates, { rng: new Rng(seed), generated: [], prompt: [] });
      counts[candidates.ids[0] as number]! += 1;
    }
    [0.001, 0.13933, 0.85968].forEach((expected, id) => expect(Math.abs((counts[id] as number) / 4000 - expected)).toBeLessThan(0.025));
  });

  it('target < 0 is off: it draws from the distribution unchanged (llama.cpp); koboldcpp is off at 0 too', () => {
    const observed = frequencies(adaptivePSampler({ target: -1, decay: 0.9 }, getProfile('llama.cpp')));
    [0.5, 0.3, 0.2].forEach((expected, id) => expect(Math.abs((observed[id] as number) - expected)).toBeLessThan(0.025));
    const zero = frequencies(adaptivePSampler({ target: 0, decay: 0.9 }, getProfile('koboldcpp')));
    [0.5, 0.3, 0.2].forEach((expected, id) => expect(Math.abs((zero[id] as number) - expected)).toBeLessThan(0.025));
  });

  it('selects one token: distribution() shows it with probability 1, and clones continue alike', () => {
    const sampler = createSampler([{ adaptive_p: { target: 0.3, decay: 0.9 } }], { seed: 5 });
    const probs = sampler.distribution(logits);
    expect(probs.filter((p) => p > 0)).toEqual(new Float32Array([1]));
    const copy = sampler.clone();
    expect(copy.sample(logits)).toBe(sampler.sample(logits));
  });

  it('decay outside [0, 0.99] is rejected under knobs and clamped by llama.cpp; target above 1 is rejected under knobs', () => {
    expect(() => createSampler([{ adaptive_p: { target: 0.3, decay: 1 } }])).toThrow(/adaptive_p\.decay = 1 .*\[0, 0\.99\]/);
    expect(() => createSampler([{ adaptive_p: { target: 0.3, decay: 1.5 } }], { engine: 'llama.cpp' })).not.toThrow();
    expect(() => createSampler([{ adaptive_p: { target: 1.5, decay: 0.9 } }])).toThrow(/adaptive_p\.target = 1\.5/);
    expect(() => createSampler([{ adaptive_p: 0.3 }], { engine: 'vllm' })).toThrow(/adaptive_p is not available under --engine vllm/);
  });
});
