import { describe, expect, it } from 'vitest';
import { topLogprobs } from '../../src/decoding/topLogprobs.js';
import { InvalidInputError } from '../../src/core/errors.js';

describe('topLogprobs', () => {
  it('returns the k most likely ids with log-probabilities: logits 0, ln 3, 0 → p = .2, .6, .2', () => {
    const top = topLogprobs(new Float32Array([0, Math.log(3), 0]), 2);
    expect(Array.from(top.ids)).toEqual([1, 0]); // tie between 0 and 2 goes to the lower id
    expect(Array.from(top.logprobs)).toEqual([expect.closeTo(Math.log(0.6), 6), expect.closeTo(Math.log(0.2), 6)]);
    expect(top.logSumExp).toBeCloseTo(Math.log(5), 6);
  });

  it('breaks ties by lower id across the whole vocabulary, whatever the order they come in', () => {
    const logits = new Float32Array([1, 5, 3, 5, 3, 5]);
    expect(Array.from(topLogprobs(logits, 4).ids)).toEqual([1, 3, 5, 2]);
  });

  it('never returns −Infinity tokens, so k may exceed what is possible', () => {
    const top = topLogprobs(new Float32Array([-Infinity, 0, -Infinity, Math.log(3)]), 10);
    expect(Array.from(top.ids)).toEqual([3, 1]);
    expect(top.logprobs[0]).toBeCloseTo(Math.log(0.75), 6);
  });

  it('k = 0 still gives the normaliser', () => {
    const top = topLogprobs(new Float32Array([0, 0]), 0);
    expect(top.ids.length).toBe(0);
    expect(top.logSumExp).toBeCloseTo(Math.LN2, 12);
  });

  it('rejects NaN, +Infinity and all −Infinity', () => {
    expect(() => topLogprobs([0, NaN], 1)).toThrow(InvalidInputError);
    expect(() => topLogprobs([0, Infinity], 1)).toThrow(InvalidInputError);
    expect(() => topLogprobs([-Infinity, -Infinity], 1)).toThrow(/all -Infinity/);
  });
});
