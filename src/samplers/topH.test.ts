import { describe, expect, it } from 'vitest';
import { createSampler } from '../index.js';

const fromProbs = (probs: number[]): Float32Array => Float32Array.from(probs, Math.log);
const kept = (probs: Float32Array): number[] => Array.from(probs.keys()).filter((id) => (probs[id] as number) > 0);

describe('top_h', () => {
  // p = {1/2, 1/4, 1/8, 1/8}: terms −p ln p = {0.34657, 0.34657, 0.25993, 0.25993}, H = 1.21301.
  const logits = fromProbs([0.5, 0.25, 0.125, 0.125]);

  it('keeps the prefix whose summed −p ln p stays within h · H (inclusive)', () => {
    // h = 0.5: bound 0.60650; 0.34657 fits, 0.69315 does not → one token
    expect(kept(createSampler([{ top_h: 0.5 }]).distribution(logits))).toEqual([0]);
    // h = 0.6: bound 0.72780; 0.69315 fits, 0.95308 does not → two tokens, renormalised 2/3, 1/3
    const probs = createSampler([{ top_h: 0.6 }]).distribution(logits);
    expect(kept(probs)).toEqual([0, 1]);
    expect(probs[0]).toBeCloseTo(2 / 3, 6);
  });

  it('always keeps the first token, however small h is', () => {
    expect(kept(createSampler([{ top_h: 0.01 }]).distribution(logits))).toEqual([0]);
  });

  it('h = 1 is not neutral: only the 100 most likely tokens can stay', () => {
    const flat = new Float32Array(150);
    const trace = createSampler([{ top_h: 1 }]).trace(flat);
    expect(trace[1]?.kept).toBe(100);
    expect(kept(createSampler([{ top_h: 1 }], { engine: 'hf' }).distribution(flat))).toHaveLength(100);
  });

  it('under hf a token whose float32 probability underflows ends the prefix (torch: 0 · −inf = NaN)', () => {
    // exp(−200) is 0 in float32 but not in float64
    const logits3 = new Float32Array([0, 0, -200]);
    expect(createSampler([{ top_h: 1 }]).trace(logits3)[1]?.kept).toBe(3);
    expect(createSampler([{ top_h: 1 }], { engine: 'hf' }).trace(logits3)[1]?.kept).toBe(2);
  });

  it('h = 0 disables it under knobs; transformers rejects it', () => {
    expect(kept(createSampler([{ top_h: 0 }]).distribution(logits))).toEqual([0, 1, 2, 3]);
    expect(() => createSampler([{ top_h: 0 }], { engine: 'hf' })).toThrow(/top_h\.h = 0 .*\(0, 1\] under hf/);
    expect(() => createSampler([{ top_h: 1.5 }])).toThrow(/top_h\.h = 1\.5 .*\[0, 1\]/);
  });

  it('is applied after temperature and before top-k under hf, and is not a vLLM knob', () => {
    const order = createSampler('top_k=2,top_h=0.9,temperature=0.7', { engine: 'hf' }).engine.defaultOrder;
    expect(order.indexOf('temperature')).toBeLessThan(order.indexOf('top_h'));
    expect(order.indexOf('top_h')).toBeLessThan(order.indexOf('top_k'));
    expect(() => createSampler([{ top_h: 0.5 }], { engine: 'vllm' })).toThrow(/top_h is not available under --engine vllm/);
  });
});
