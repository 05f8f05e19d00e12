import { describe, expect, it } from 'vitest';
import { createSampler } from '../index.js';

const fromProbs = (probs: number[]): Float32Array => Float32Array.from(probs, Math.log);
const kept = (probs: Float32Array): number[] => Array.from(probs.keys()).filter((id) => (probs[id] as number) > 0);

describe('tfs', () => {
  // p = {0.5, 0.25, 0.15, 0.07, 0.03}: first differences {0.25, 0.1, 0.08, 0.04}, second
  // differences {0.15, 0.02, 0.04} (sum 0.21), cumulative {0.714, 0.810, 1}.
  const logits = fromProbs([0.5, 0.25, 0.15, 0.07, 0.03]);

  it('keeps the tokens before the first cumulative weight above z (knobs, koboldcpp)', () => {
    for (const engine of ['knobs', 'koboldcpp']) {
      expect(kept(createSampler([{ tfs: 0.8 }], { engine }).distribution(logits))).toEqual([0]); // 0.810 > 0.8 at index 1
      expect(kept(createSampler([{ tfs: 0.95 }], { engine }).distribution(logits))).toEqual([0, 1]); // 1 > 0.95 at index 2
    }
  });

  it('exllamav2 keeps one token more ("center distribution on the cutoff point")', () => {
    expect(kept(createSampler([{ tfs: 0.8 }], { engine: 'exllamav2' }).distribution(logits))).toEqual([0, 1]);
    expect(kept(createSampler([{ tfs: 0.95 }], { engine: 'exllamav2' }).distribution(logits))).toEqual([0, 1, 2]);
  });

  it('a crossing at the first index keeps one token under every rule', () => {
    // 0.714 > 0.5 at index 0: llama.cpp's min_keep skip moves on to index 1 and keeps 1
    for (const engine of ['knobs', 'koboldcpp', 'exllamav2']) expect(kept(createSampler([{ tfs: 0.5 }], { engine }).distribution(logits))).toEqual([0]);
  });

  it('a tail without curvature: knobs keeps all, koboldcpp spreads the weights, exllamav2 drops the last', () => {
    // five equal tokens: every second difference is 0 (float32 leaves ~1e-8, under 1e-6)
    const flat = new Float32Array(5);
    expect(kept(createSampler([{ tfs: 0.5 }]).distribution(flat))).toEqual([0, 1, 2, 3, 4]);
    // koboldcpp: weights 1/3 each, cumulative 1/3, 2/3: the first above 0.5 is index 1 → 1 token
    expect(kept(createSampler([{ tfs: 0.5 }], { engine: 'koboldcpp' }).distribution(flat))).toEqual([0]);
    // exllamav2: 0/0 weights never cross: n − 1 tokens
    expect(kept(createSampler([{ tfs: 0.5 }], { engine: 'exllamav2' }).distribution(flat))).toEqual([0, 1, 2, 3]);
  });

  it('z = 1 is neutral, two tokens are left alone, z outside [0, 1] is rejected; llama.cpp no longer has it', () => {
    expect(kept(createSampler([{ tfs: 1 }]).distribution(logits))).toEqual([0, 1, 2, 3, 4]);
    expect(kept(createSampler([{ tfs: 0 }]).distribution(fromProbs([0.9, 0.1])))).toEqual([0, 1]);
    expect(() => createSampler([{ tfs: 1.5 }])).toThrow(/tfs\.z = 1\.5 .*\[0, 1\]/);
    expect(() => createSampler([{ tfs: 0.9 }], { engine: 'llama.cpp' })).toThrow(/tfs is not available under --engine llama\.cpp/);
  });
});
