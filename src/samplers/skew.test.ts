import { describe, expect, it } from 'vitest';
import { createSampler, sampleCounts } from '../index.js';

const fromProbs = (probs: number[]): Float32Array => Float32Array.from(probs, Math.log);

describe('skew', () => {
  const logits = fromProbs([0.5, 0.3, 0.2]);

  it('reports the law of the skewed inverse-CDF draw: G(c) = c^(e^skew)', () => {
    // skew = ln 2: G(c) = c², cumulative {0.5, 0.8, 1} → {0.25, 0.39, 0.36}
    const probs = createSampler([{ skew: Math.LN2 }]).distribution(logits);
    expect(probs[0]).toBeCloseTo(0.25, 6);
    expect(probs[1]).toBeCloseTo(0.39, 6);
    expect(probs[2]).toBeCloseTo(0.36, 6);
    // skew = −ln 2: G(c) = √c → {0.707107, 0.187320, 0.105573}: toward the top token
    const toward = createSampler([{ skew: -Math.LN2 }]).distribution(logits);
    expect(toward[0]).toBeCloseTo(0.707107, 6);
    expect(toward[1]).toBeCloseTo(0.18732, 6);
    expect(toward[2]).toBeCloseTo(0.105573, 6);
  });

  it('exllamav2 scales the uniform by 0.9998: G(c) = min(1, (c / 0.9998)^(e^skew))', () => {
    const probs = createSampler([{ skew: Math.LN2 }], { engine: 'exllamav2' }).distribution(logits);
    expect(probs[0]).toBeCloseTo(0.2501, 6);
    expect(probs[1]).toBeCloseTo(0.390156, 6);
    expect(probs[2]).toBeCloseTo(0.359744, 6);
  });

  it('single draws follow the reported law (seeded)', () => {
    const result = sampleCounts(logits, [{ skew: Math.LN2 }], 20_000, { seed: 3 });
    expect(result.expected[0]).toBeCloseTo(0.25, 6);
    expect(result.pValue).toBeGreaterThan(0.001);
    expect((result.counts[0] as number) / 20_000).toBeCloseTo(0.25, 1);
  });

  it('skew 0 is neutral', () => {
    const probs = createSampler([{ skew: 0 }]).distribution(logits);
    expect(probs[0]).toBeCloseTo(0.5, 6);
    expect(() => createSampler([{ skew: 0.5 }], { engine: 'llama.cpp' })).toThrow(/skew is not available under --engine llama\.cpp/);
  });
});
