import { describe, expect, it } from 'vitest';
import { continuationLogprobs } from '../../src/analysis/metrics/continuationLogprobs.js';
import { corpusPerplexity } from '../../src/analysis/metrics/corpusPerplexity.js';
import { logSumExp, sumExpShifted } from '../../src/kernel/logSumExp.js';
import { InvalidInputError } from '../../src/core/errors.js';
import { ABC_TABLE, ABC_WORDS, A, B, C, S, bigramModel } from '../decoding/bigramModel.js';

describe('corpusPerplexity', () => {
  it('pools tokens, not texts: ln .5 | ln .25, ln .125 → exp(6 ln 2 / 3) = 4', () => {
    expect(corpusPerplexity([[Math.log(0.5)], [Math.log(0.25), Math.log(0.125)]])).toBeCloseTo(4, 12);
  });

  it('an impossible token gives Infinity; no tokens give NaN', () => {
    expect(corpusPerplexity([[-Infinity, 0]])).toBe(Infinity);
    expect(corpusPerplexity([[], []])).toBeNaN();
  });
});

describe('logSumExp', () => {
  it('ln(e^0 + e^0) = ln 2; −Infinity entries add nothing', () => {
    expect(logSumExp(new Float32Array([0, 0, -Infinity]))).toBeCloseTo(Math.LN2, 12);
    expect(logSumExp([Math.log(0.2), Math.log(0.3)])).toBeCloseTo(Math.log(0.5), 12);
  });

  it('is stable for large logits and −Infinity for none', () => {
    expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.LN2, 9);
    expect(logSumExp([-Infinity])).toBe(-Infinity);
  });

  it('rejects NaN and +Infinity', () => {
    expect(() => logSumExp([0, NaN])).toThrow(InvalidInputError);
    expect(() => logSumExp([0, Infinity])).toThrow(InvalidInputError);
  });

  it('the cached Float32Array sum is exactly the plain sum, with many repeated values', () => {
    const values = new Float32Array(10_000);
    for (let i = 0; i < values.length; i++) values[i] = -((i * 7919) % 37) / 3; // 37 distinct values, scattered
    let plain = 0;
    for (let i = 0; i < values.length; i++) plain += Math.exp((values[i] as number) - 0.5);
    expect(sumExpShifted(values, 0.5)).toBe(plain);
    expect(sumExpShifted(Array.from(values), 0.5)).toBe(plain);
  });

  it('gives the plain loops\' value on a large row (summed in the kernel), and still rejects NaN there', () => {
    const values = new Float32Array(50_000);
    for (let i = 0; i < values.length; i++) values[i] = i % 97 === 0 ? -Infinity : -((i * 7919) % 501) / 17;
    let max = -Infinity;
    for (const value of values) max = Math.max(max, value);
    let plain = 0;
    for (const value of values) plain += Math.exp(value - max);
    expect(logSumExp(values)).toBe(max + Math.log(plain));
    values[123] = NaN;
    expect(() => logSumExp(values)).toThrow(/logits\[123\] = NaN/);
  });
});

describe('continuationLogprobs', () => {
  it('scores each token given the prompt and the tokens before it', async () => {
    // P(b | S) = .4, P(c | b) = .9, P(a | c) = .03
    const model = bigramModel(ABC_WORDS, ABC_TABLE);
    const logprobs = await continuationLogprobs(model, [S], [B, C, A]);
    expect(Array.from(logprobs)).toEqual([expect.closeTo(Math.log(0.4), 6), expect.closeTo(Math.log(0.9), 6), expect.closeTo(Math.log(0.03), 6)]);
    expect(corpusPerplexity([logprobs])).toBeCloseTo(Math.pow(0.4 * 0.9 * 0.03, -1 / 3), 5);
  });

  it('rejects a token id outside the vocabulary', async () => {
    await expect(continuationLogprobs(bigramModel(ABC_WORDS, ABC_TABLE), [S], [99])).rejects.toThrow(/continuation\[0\] = 99/);
  });
});
