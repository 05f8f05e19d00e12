import { describe, expect, it } from 'vitest';
import { createSampler } from '../index.js';

const fromProbs = (probs: number[]): Float32Array => Float32Array.from(probs, Math.log);
const kept = (probs: Float32Array): number[] => Array.from(probs.keys()).filter((id) => (probs[id] as number) > 0);

describe('top_a', () => {
  it('removes tokens below a · p_max² and renormalises the rest', () => {
    // threshold 0.4 · 0.5² = 0.1: 0.05 goes; the rest renormalise over 0.95
    const probs = createSampler([{ top_a: 0.4 }]).distribution(fromProbs([0.5, 0.3, 0.15, 0.05]));
    expect(kept(probs)).toEqual([0, 1, 2]);
    expect(probs[0]).toBeCloseTo(0.526316, 6);
    expect(probs[1]).toBeCloseTo(0.315789, 6);
    expect(probs[2]).toBeCloseTo(0.157895, 6);
  });

  it('is strict: a token exactly at the threshold stays', () => {
    // four equal tokens: p = 1/4, and a = 4 puts the threshold at 4 · 1/16 = 1/4 exactly
    for (const engine of ['knobs', 'koboldcpp', 'exllamav2']) {
      expect(kept(createSampler([{ top_a: 4 }], { engine }).distribution(new Float32Array(4)))).toEqual([0, 1, 2, 3]);
      expect(kept(createSampler([{ top_a: 4.001 }], { engine }).distribution(new Float32Array(4)))).toEqual([0]);
    }
  });

  it('keeps min_keep tokens and always the top one', () => {
    // a = 2: threshold 2 · 1/4 = 1/2 keeps only the top token; min_keep 2 keeps the next too
    const logits = new Float32Array([Math.LN2, 0, 0]);
    expect(kept(createSampler([{ top_a: 2 }]).distribution(logits))).toEqual([0]);
    expect(kept(createSampler([{ top_a: { a: 2, min_keep: 2 } }]).distribution(logits))).toEqual([0, 1]);
    // a > 1 / p_max would empty exllamav2's candidate list; the top token is kept here
    expect(kept(createSampler([{ top_a: 5 }], { engine: 'exllamav2' }).distribution(logits))).toEqual([0]);
  });

  it('a = 0 is neutral; negative a is rejected', () => {
    expect(kept(createSampler([{ top_a: 0 }]).distribution(fromProbs([0.9, 0.05, 0.05])))).toEqual([0, 1, 2]);
    expect(() => createSampler([{ top_a: -0.1 }])).toThrow(/top_a\.a = -0\.1 .*>= 0/);
  });

  it('sits after top-k under koboldcpp and after top-p under exllamav2', () => {
    const kobold = createSampler([], { engine: 'koboldcpp' }).engine.defaultOrder;
    expect(kobold.slice(kobold.indexOf('top_k'), kobold.indexOf('top_k') + 3)).toEqual(['top_k', 'top_a', 'tfs']);
    const exl = createSampler([], { engine: 'exllamav2' }).engine.defaultOrder;
    expect(exl.slice(exl.indexOf('top_p'), exl.indexOf('top_p') + 3)).toEqual(['top_p', 'top_a', 'min_p']);
  });
});
