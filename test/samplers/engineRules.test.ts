import { describe, expect, it } from 'vitest';
import { createSampler } from '../../src/index.js';

/**
 * The rules the new engine profiles bring to the existing samplers, each on a case computed
 * by hand from the rule as read in the engine's source (cited in the sampler's doc comment).
 */
const fromProbs = (probs: number[]): Float32Array => Float32Array.from(probs, Math.log);
const kept = (probs: Float32Array): number[] => Array.from(probs.keys()).filter((id) => (probs[id] as number) > 0);
const keptUnder = (engine: string, chain: Parameters<typeof createSampler>[0], logits: Float32Array, options = {}): number[] =>
  kept(createSampler(chain, { engine, ...options }).distribution(logits));

describe('top-p at the exact boundary: four tokens of 1/4, p = 1/2', () => {
  const uniform = new Float32Array(4);
  it('knobs and llama.cpp stop where the mass reaches p; transformers keeps the higher ids', () => {
    expect(keptUnder('knobs', [{ top_p: 0.5 }], uniform)).toEqual([0, 1]);
    expect(keptUnder('hf', [{ top_p: 0.5 }], uniform)).toEqual([2, 3]);
  });
  it('SGLang keeps every token whose preceding mass is <= p: one more', () => {
    // masses before: 0, 1/4, 1/2, 3/4
    expect(keptUnder('sglang', [{ top_p: 0.5 }], uniform)).toEqual([0, 1, 2]);
  });
  it("Ollama's Go sampler keeps through the first sum > p: one more", () => {
    // running sums 1/4, 1/2, 3/4: the first above 1/2 is the third
    expect(keptUnder('ollama-go', [{ top_p: 0.5 }], uniform)).toEqual([0, 1, 2]);
  });
  it('exllamav2 drops the token that would cross p, and pops the lower ids first among equals', () => {
    expect(keptUnder('exllamav2', [{ top_p: 0.5 }], uniform)).toEqual([2, 3]);
  });
  it('p = 0: exllamav2 disables top-p, SGLang rejects it, the Go sampler keeps one', () => {
    expect(keptUnder('exllamav2', [{ top_p: 0 }], uniform)).toEqual([0, 1, 2, 3]);
    expect(() => createSampler([{ top_p: 0 }], { engine: 'sglang' })).toThrow(/\(0, 1\] under sglang/);
    expect(keptUnder('ollama-go', [{ top_p: 0 }], uniform)).toHaveLength(1);
  });
});

describe("exllamav2's top_p_cpu walks its array with a min-heap", () => {
  it('in id order, a smaller token can fill the room a larger one left', () => {
    // p by id {0.4, 0.35, 0.2, 0.05}, p = 0.66: 0.4; +0.35 = 0.75 > 0.66 → pop 0.35; +0.2 = 0.6; +0.05 = 0.65
    expect(keptUnder('exllamav2', [{ top_p: 0.66 }], fromProbs([0.4, 0.35, 0.2, 0.05]))).toEqual([0, 2, 3]);
  });
  it('in id order the walk depends on where the large tokens sit', () => {
    // p by id {0.05, 0.2, 0.35, 0.4}: 0.6 after three, +0.4 = 1 → pop 0.05, 0.2, 0.35 → only 0.4 stays
    expect(keptUnder('exllamav2', [{ top_p: 0.66 }], fromProbs([0.05, 0.2, 0.35, 0.4]))).toEqual([3]);
  });
  it('after its top-k the array is descending: the top token, then whatever still fits', () => {
    // top-k 3 → {0.4, 0.35, 0.2} / 0.95 = {0.421, 0.368, 0.211}: 0.421; 0.789 > 0.66 → pop; 0.632 fits
    expect(keptUnder('exllamav2', [{ top_k: 3 }, { top_p: 0.66 }], fromProbs([0.05, 0.2, 0.35, 0.4]))).toEqual([1, 3]);
  });
});

describe('min-p, typical-p, temperature, top-k', () => {
  it('exllamav2 ignores min_p >= 1 (knobs rejects above 1, llama.cpp keeps the maximum)', () => {
    const logits = fromProbs([0.5, 0.3, 0.2]);
    expect(keptUnder('exllamav2', [{ min_p: 1 }], logits)).toEqual([0, 1, 2]);
    expect(keptUnder('exllamav2', [{ min_p: 1.5 }], logits)).toEqual([0, 1, 2]);
    expect(keptUnder('llama.cpp', [{ min_p: 1.5 }], logits)).toEqual([0]);
    expect(() => createSampler([{ min_p: 1.5 }])).toThrow(/min_p\.p = 1\.5/);
  });

  it("exllamav2's typical uses p + ln p and keeps the tokens before the crossing one", () => {
    // p {0.5, 0.3, 0.2}: y = p + ln p = {−0.1931, −0.9040, −1.4094}; Σ p·y = −0.6497;
    // |y − Σ| = {0.4566, 0.2544, 0.7598}: order 1, 0, 2; masses 0.3, 0.8 → stops at token 0 and keeps token 1 only
    const logits = fromProbs([0.5, 0.3, 0.2]);
    expect(keptUnder('exllamav2', [{ typical_p: 0.5 }], logits)).toEqual([1]);
    // llama.cpp: |−ln p − H| = {0.3366, 0.1743, 0.5797}, same order; mass 0.8 > 0.5 keeps tokens 1 and 0
    expect(keptUnder('llama.cpp', [{ typical_p: 0.5 }], logits)).toEqual([0, 1]);
  });

  it('transformers.js divides by a negative temperature: the ranking flips', () => {
    // [1, 2, 3] / −1 = [−1, −2, −3] → softmax {0.6652, 0.2447, 0.0900}
    const probs = createSampler([{ temperature: -1 }], { engine: 'transformers.js' }).distribution(new Float32Array([1, 2, 3]));
    expect(probs[0]).toBeCloseTo(0.665241, 5);
    expect(probs[2]).toBeCloseTo(0.090031, 5);
    expect(keptUnder('llama.cpp', [{ temperature: -1 }], new Float32Array([1, 2, 3]))).toEqual([2]);
  });

  it('SGLang temperatures below 1e-6 and exllamav2 temperatures below 0.01 are greedy', () => {
    const logits = new Float32Array([1, 3, 2]);
    expect(keptUnder('sglang', [{ temperature: 5e-7 }], logits)).toEqual([1]);
    expect(keptUnder('exllamav2', [{ temperature: 0.009 }], logits)).toEqual([1]);
    expect(keptUnder('exllamav2', [{ temperature: 0.011 }], new Float32Array([0, 0.001]))).toEqual([0, 1]);
  });

  it('SGLang top_k: −1 disables, 0 and other negatives are rejected', () => {
    expect(keptUnder('sglang', [{ top_k: -1 }], new Float32Array(3))).toEqual([0, 1, 2]);
    expect(() => createSampler([{ top_k: 0 }], { engine: 'sglang' })).toThrow(/-1 \(disable\) or an integer >= 1 under sglang/);
    expect(() => createSampler([{ top_k: -2 }], { engine: 'sglang' })).toThrow(/top_k\.k = -2/);
  });
});

describe('stages the engine adds or reorders itself', () => {
  it('koboldcpp always runs a top-k of 3000 after logit bias and DRY', () => {
    const logits = Float32Array.from({ length: 5000 }, (_, id) => -Math.log(id + 1));
    expect(kept(createSampler([], { engine: 'koboldcpp' }).distribution(logits))).toHaveLength(3000);
    expect(createSampler([{ logit_bias: { '1': 1 } }, { top_p: 0.9 }], { engine: 'koboldcpp' }).stages.map((stage) => stage.name)).toEqual(['logit_bias', 'top_k', 'top_p']);
  });

  it('SGLang cuts top-k and top-p jointly unless a min-p is set', () => {
    // p {0.5, 0.3, 0.2}, top_k 2, top_p 0.6. Joint: masses before over all tokens 0, 0.5 → {0, 1}.
    // Sequential (with min-p): top-k renormalises to {0.625, 0.375}; 0.625 > 0.6 before token 1 → {0}.
    const logits = fromProbs([0.5, 0.3, 0.2]);
    expect(keptUnder('sglang', [{ top_k: 2 }, { top_p: 0.6 }], logits)).toEqual([0, 1]);
    expect(keptUnder('sglang', [{ top_k: 2 }, { top_p: 0.6 }, { min_p: 0.01 }], logits)).toEqual([0]);
    expect(keptUnder('vllm', [{ top_k: 2 }, { top_p: 0.6 }], logits)).toEqual([0]);
  });
});

describe('penalties and XTC', () => {
  it("koboldcpp's window starts filled with token 0: it counts as seen until the window fills", () => {
    const logits = new Float32Array([1, 1, 1]);
    // nothing seen yet, window 320: token 0 gets the presence penalty
    const early = createSampler([{ penalties: { presence: 1 } }], { engine: 'koboldcpp' }).trace(logits)[2]?.probs as Float32Array;
    expect(early[0]).toBeLessThan(early[1] as number);
    // a window of 2 already filled by tokens 1, 1: token 0 no longer counts
    const full = createSampler([{ penalties: { presence: 1, last_n: 2 } }], { engine: 'koboldcpp', history: [1, 1] }).distribution(logits);
    expect(full[0]).toBeCloseTo(full[2] as number, 7);
    expect(() => createSampler([{ penalties: { frequency: 0.5 } }], { engine: 'koboldcpp' })).toThrow(/only the presence penalty/);
  });

  it('node-llama-cpp penalises only tokens generated in this response', () => {
    // prompt [0], generated [1]: repeat 2 halves token 1 only → logits {1, 0.5, 1}
    const probs = createSampler([{ penalties: { repeat: 2 } }], { engine: 'node-llama-cpp', prompt: [0], history: [1] }).distribution(new Float32Array([1, 1, 1]));
    const e = Math.exp(-0.5);
    expect(probs[1]).toBeCloseTo(e / (2 + e), 6);
    expect(probs[0]).toBeCloseTo(1 / (2 + e), 6);
  });

  it('koboldcpp lowers the XTC top choices by 999 instead of removing them', () => {
    // llama.cpp's test: {0.4, 0.3, 0.2, 0.1}, threshold 0.09, probability 1 leaves only 0.1
    const logits = fromProbs([0.4, 0.3, 0.2, 0.1]);
    const chain = [{ xtc: { threshold: 0.09, probability: 1 } }];
    const llama = createSampler(chain, { engine: 'llama.cpp' }).trace(logits);
    const kobold = createSampler(chain, { engine: 'koboldcpp' }).trace(logits);
    expect(llama[1]?.kept).toBe(1);
    expect(kobold[kobold.length - 1]?.kept).toBe(4); // still candidates
    expect(kept(kobold[kobold.length - 1]?.probs as Float32Array)).toEqual([3]);
  });
});
