import { describe, expect, it } from 'vitest';
import { createSampler } from '../index.js';

const two = new Float32Array([0.01, 0]);

describe('temperature rules by engine', () => {
  it('vLLM raises temperatures below 0.01 to 0.01', () => {
    // t = 0.01 turns [0.01, 0] into [1, 0]: p0 = e / (e + 1) = 0.731059
    expect(createSampler([{ temperature: 0.005 }], { engine: 'vllm' }).distribution(two)[0]).toBeCloseTo(0.731059, 5);
    // knobs uses 0.005 as given: [2, 0] → p0 = 1 / (1 + e^-2) = 0.880797
    expect(createSampler([{ temperature: 0.005 }]).distribution(two)[0]).toBeCloseTo(0.880797, 5);
  });

  it('vLLM treats temperatures below 1e-5 as greedy', () => {
    expect(Array.from(createSampler([{ temperature: 1e-6 }], { engine: 'vllm' }).distribution(two))).toEqual([1, 0]);
  });

  it('llama.cpp treats negative temperatures as greedy; knobs rejects them', () => {
    expect(Array.from(createSampler([{ temperature: -1 }], { engine: 'llama.cpp' }).distribution(new Float32Array([0, 2, 2])))).toEqual([0, 1, 0]);
    expect(() => createSampler([{ temperature: -1 }])).toThrow(/temperature\.t = -1 .*>= 0/);
  });

  it('a temperature so small that l / t overflows keeps the tied maxima, equally likely', () => {
    expect(Array.from(createSampler([{ temperature: 1e-300 }]).distribution(new Float32Array([5, 5, 1])))).toEqual([0.5, 0.5, 0]);
  });
});
