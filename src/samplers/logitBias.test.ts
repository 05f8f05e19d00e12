import { describe, expect, it } from 'vitest';
import { createSampler } from '../index.js';

describe('logit_bias', () => {
  it('adds the bias to the listed tokens and "-inf" removes a token', () => {
    const probs = createSampler([{ logit_bias: { '0': '-inf', '2': Math.log(3) } }]).distribution(new Float32Array(3));
    expect(probs[0]).toBe(0);
    expect(probs[2]).toBeCloseTo(0.75, 6); // e^ln3 / (1 + 3)
  });

  it('vLLM clamps biases to ±100', () => {
    const logits = new Float32Array([0, 200]);
    // vLLM: 200 − 100 = 100 still dominates; knobs: 200 − 1000 = −800 loses to 0
    expect(createSampler([{ logit_bias: { '1': -1000 } }], { engine: 'vllm' }).distribution(logits)[1]).toBe(1);
    expect(createSampler([{ logit_bias: { '1': -1000 } }]).distribution(logits)[0]).toBe(1);
  });

  it('llama.cpp ignores ids outside the vocabulary; the others reject them with the range', () => {
    expect(Array.from(createSampler([{ logit_bias: { '7': 5 } }], { engine: 'llama.cpp' }).distribution(new Float32Array(2)))).toEqual([0.5, 0.5]);
    expect(() => createSampler([{ logit_bias: { '7': 5 } }]).distribution(new Float32Array(2))).toThrow(/logit_bias key = 7 .*\[0, 1\]/);
  });

  it('removing every token is an error', () => {
    expect(() => createSampler([{ logit_bias: { '0': '-inf', '1': '-inf' } }]).distribution(new Float32Array(2))).toThrow(/nothing left/);
  });
});
