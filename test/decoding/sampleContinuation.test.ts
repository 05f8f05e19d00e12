import { describe, expect, it } from 'vitest';
import { sampleContinuation } from '../../src/decoding/sampleContinuation.js';
import { ABC_TABLE, ABC_WORDS, A, B, C, END, S, bigramModel } from './bigramModel.js';

describe('sampleContinuation', () => {
  it('greedy from S: a (.5) then a (.35) each time, with the model log-probabilities', async () => {
    const result = await sampleContinuation(bigramModel(ABC_WORDS, ABC_TABLE), [S], [{ greedy: true }], { maxTokens: 3 });
    expect(result.tokens).toEqual([A, A, A]);
    expect(result.logprobs).toEqual([expect.closeTo(Math.log(0.5), 6), expect.closeTo(Math.log(0.35), 6), expect.closeTo(Math.log(0.35), 6)]);
    expect(result.stopped).toBe(false);
  });

  it('stops on a stop token, which is neither a token of the continuation nor scored', async () => {
    // Greedy from b with c's row changed to END .7, c .3: b → c (.9) → END (.7), stop.
    const model = bigramModel(ABC_WORDS, { ...ABC_TABLE, c: { END: 0.7, c: 0.3 } });
    const result = await sampleContinuation(model, [B], [{ greedy: true }], { maxTokens: 5 });
    expect(result.tokens).toEqual([C]);
    expect(result.tokens).not.toContain(END);
    expect(result.stopped).toBe(true);
    expect(result.logprobs).toEqual([expect.closeTo(Math.log(0.9), 6)]);
  });

  it('records the log-probability under the model, not under the reshaped chain', async () => {
    // temperature 0.01 makes c (.9) after b all but certain; its model log-probability is still ln .9.
    const result = await sampleContinuation(bigramModel(ABC_WORDS, ABC_TABLE), [B], [{ temperature: 0.01 }], { maxTokens: 1, seed: 4 });
    expect(result.tokens).toEqual([C]);
    expect(result.logprobs[0]).toBeCloseTo(Math.log(0.9), 6);
  });

  it('is reproducible for a seed and draws in proportion to the model (S: a .5, b .4, c .1)', async () => {
    const model = bigramModel(ABC_WORDS, ABC_TABLE);
    const run = (seed: number) => sampleContinuation(model, [S], [], { maxTokens: 4, seed });
    expect(await run(11)).toEqual(await run(11));
    const counts = [0, 0, 0];
    for (let seed = 0; seed < 2000; seed++) {
      const cell = ((await sampleContinuation(model, [S], [], { maxTokens: 1, seed })).tokens[0] as number) - 1;
      counts[cell] = (counts[cell] ?? 0) + 1;
    }
    // expected 1000, 800, 200; standard deviations ≈ 22, 22, 13
    expect(Math.abs(counts[0]! - 1000)).toBeLessThan(100);
    expect(Math.abs(counts[1]! - 800)).toBeLessThan(100);
    expect(Math.abs(counts[2]! - 200)).toBeLessThan(60);
  });
});
