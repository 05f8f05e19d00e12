import { describe, expect, it } from 'vitest';
import { beamSearch } from '../../src/decoding/beamSearch.js';
import { InvalidParameterError } from '../../src/core/errors.js';
import { chiSquareTest } from '../../src/analysis/chiSquare.js';
import { ABC_TABLE, ABC_WORDS, A, B, C, END, S, bigramModel } from './bigramModel.js';

const ln = Math.log;
const abc = () => bigramModel(ABC_WORDS, ABC_TABLE);

/**
 * The early-stopping model. Tokens 0 END (stop), 1 x, 2 y, 3 S.
 *   S: END .5, x .3, y .2;  x: END .5, x .1, y .4;  y: END .1, x .45, y .45.
 * Width 2 from S: step 1 keeps x (.3) and y (.2) running and finishes [END] (score ln .5 / 1).
 * Step 2: candidates xE .15, xy .12, yx .09, yy .09, xx .03, yE .02; the top four are
 * xE, xy, yx, yy: [x END] finishes (score ln .15 / 2 = −0.9486), xy and yx run on. Two
 * hypotheses are now finished.
 */
const stopper = () =>
  bigramModel(['END', 'x', 'y', 'S'], {
    S: { END: 0.5, x: 0.3, y: 0.2 },
    x: { END: 0.5, x: 0.1, y: 0.4 },
    y: { END: 0.1, x: 0.45, y: 0.45 },
    END: { END: 1 },
  });

describe('beamSearch', () => {
  it('width 2 finds "b c" (p = .4 · .9 = .36) where greedy finds "a a" (p = .5 · .35 = .175)', async () => {
    // Step 1 from S: a .5, b .4, c .1 (END has p = 0 and is never a candidate); a and b run.
    // Step 2 (the last): bc .36, aa .175, ab .15, ac .125, ... the first two finish.
    const model = abc();
    const result = await beamSearch(model, [S], { width: 2, maxTokens: 2, nBest: 2 });
    expect(result.hypotheses.map((h) => h.tokens)).toEqual([[B, C], [A, A]]);
    const [best, second] = result.hypotheses;
    expect(best?.logprob).toBeCloseTo(ln(0.36), 6);
    expect(best?.logprobs[0]).toBeCloseTo(ln(0.4), 6);
    expect(best?.logprobs[1]).toBeCloseTo(ln(0.9), 6);
    expect(best?.score).toBeCloseTo(ln(0.36) / 2, 6);
    expect(best?.stopped).toBe(false);
    expect(second?.score).toBeCloseTo(ln(0.175) / 2, 6);
    expect(result.steps).toBe(2);
    expect(result.modelCalls).toBe(3); // 1 beam at step 1, 2 at step 2
    expect(model.calls).toBe(3);

    const greedy = await beamSearch(abc(), [S], { width: 1, maxTokens: 2 });
    expect(greedy.hypotheses[0]?.tokens).toEqual([A, A]);
    expect(greedy.hypotheses[0]?.logprob).toBeCloseTo(ln(0.175), 6);
  });

  it('width 1 is greedy search: a a a a from S (a → a .35 is always the best)', async () => {
    const result = await beamSearch(abc(), [S], { width: 1, maxTokens: 4 });
    expect(result.hypotheses[0]?.tokens).toEqual([A, A, A, A]);
    expect(result.hypotheses[0]?.logprob).toBeCloseTo(ln(0.5) + 3 * ln(0.35), 6);
  });

  it('length penalty 1 ranks by mean log-probability (c c c), 0 by total (END alone)', async () => {
    // From c, width 2, 3 tokens. Step 1: c .55 runs, END .4 finishes (rank 1), a .03 runs.
    // Step 2: cc .3025 runs, cE .22 finishes, ca .0165 runs (cb .011 is 4th, dropped).
    // Step 3 (last): ccc .166375 and ccE .121 finish.
    // lp = 1: ccc ln(.166375)/3 = ln .55 = −0.598 > ccE ln(.121)/3 = −0.704 > cE −0.757 > END −0.916.
    const penalised = await beamSearch(abc(), [C], { width: 2, maxTokens: 3, lengthPenalty: 1, nBest: 2 });
    expect(penalised.hypotheses.map((h) => h.tokens)).toEqual([[C, C, C], [C, C, END]]);
    expect(penalised.hypotheses[0]?.score).toBeCloseTo(ln(0.55), 6);
    expect(penalised.hypotheses[1]?.score).toBeCloseTo(ln(0.121) / 3, 6);
    expect(penalised.hypotheses[1]?.stopped).toBe(true);
    // lp = 0: END ln .4 = −0.916 > cE ln .22 = −1.514 > ccc −1.794 > ccE −2.112.
    const total = await beamSearch(abc(), [C], { width: 2, maxTokens: 3, lengthPenalty: 0, nBest: 2 });
    expect(total.hypotheses.map((h) => h.tokens)).toEqual([[END], [C, END]]);
    expect(total.hypotheses[0]?.score).toBeCloseTo(ln(0.4), 6);
    expect(total.hypotheses[0]?.stopped).toBe(true);
    // After step 2 the best running beam (cc, ln .3025 = −1.196) still beats the worst finished (−1.514): it ran 3 steps.
    expect(total.steps).toBe(3);
  });

  it('earlyStopping true stops once width hypotheses are finished', async () => {
    const result = await beamSearch(stopper(), [3], { width: 2, maxTokens: 10, earlyStopping: true, nBest: 2 });
    expect(result.steps).toBe(2);
    expect(result.modelCalls).toBe(3);
    expect(result.hypotheses.map((h) => h.tokens)).toEqual([[END], [1, END]]);
    expect(result.hypotheses[1]?.score).toBeCloseTo(ln(0.15) / 2, 6);
    expect(result.hypotheses[1]?.logprobs).toEqual([expect.closeTo(ln(0.3), 6), expect.closeTo(ln(0.5), 6)]);
  });

  it('earlyStopping false stops when the best running beam at its length cannot beat the worst finished', async () => {
    // After step 2: best running xy scores ln(.12)/2 = −1.060 <= worst finished ln(.15)/2 = −0.949: stop.
    const result = await beamSearch(stopper(), [3], { width: 2, maxTokens: 10, earlyStopping: false });
    expect(result.steps).toBe(2);
    expect(result.hypotheses[0]?.tokens).toEqual([END]);
  });

  it("earlyStopping 'never' with length penalty 1 scores running beams at maxTokens, and runs on", async () => {
    // ln(.12)/10 = −0.212 > −0.949 and, as beams shrink by at most ×.45 a step, ln(p)/10 stays
    // above −0.949 through step 9; step 10 is the last. Nothing beats [END] (every transition but
    // x → END is below .5, so no longer hypothesis has a mean log-probability of ln .5).
    const result = await beamSearch(stopper(), [3], { width: 2, maxTokens: 10, earlyStopping: 'never', lengthPenalty: 1 });
    expect(result.steps).toBe(10);
    expect(result.hypotheses[0]?.tokens).toEqual([END]);
  });

  it("earlyStopping 'never' with length penalty 0 is canonical beam search: stops when no running beam can beat the finished", async () => {
    // After step 2: best running ln .12 = −2.120 <= worst finished ln .15 = −1.897.
    const result = await beamSearch(stopper(), [3], { width: 2, maxTokens: 10, earlyStopping: 'never', lengthPenalty: 0 });
    expect(result.steps).toBe(2);
  });

  it('stopTokens [] makes END an ordinary token', async () => {
    // Width 1 from S: END .5 is best and runs on; END → END has p = 1.
    const result = await beamSearch(stopper(), [3], { width: 1, maxTokens: 3, stopTokens: [] });
    expect(result.hypotheses[0]?.tokens).toEqual([END, END, END]);
    expect(result.hypotheses[0]?.stopped).toBe(false);
    expect(result.hypotheses[0]?.logprob).toBeCloseTo(ln(0.5), 6);
  });

  it('awaits models whose nextLogits returns a Promise', async () => {
    const result = await beamSearch(bigramModel(ABC_WORDS, ABC_TABLE, { async: true }), [S], { width: 2, maxTokens: 2 });
    expect(result.hypotheses[0]?.tokens).toEqual([B, C]);
  });

  it('rejects bad options naming the parameter', async () => {
    await expect(beamSearch(abc(), [S], { width: 0, maxTokens: 2 })).rejects.toThrow(InvalidParameterError);
    await expect(beamSearch(abc(), [S], { width: 2, maxTokens: 2, nBest: 3 })).rejects.toThrow(/beam\.nBest = 3/);
    await expect(beamSearch(abc(), [S], { width: 2, maxTokens: 0 })).rejects.toThrow(/beam\.maxTokens = 0/);
    await expect(beamSearch(abc(), [S], { width: 2, maxTokens: 2, earlyStopping: 'soon' as never })).rejects.toThrow(/beam\.earlyStopping/);
  });
});

/** Tokens 0 END, 1 x, 2 S. S: END .5, x .5; x: END .5, x .5. With 2 tokens: [END] .5, [x END] .25, [x x] .25. */
const coin = () => bigramModel(['END', 'x', 'S'], { S: { END: 0.5, x: 0.5 }, x: { END: 0.5, x: 0.5 }, END: { END: 1 } });

describe('stochastic beam search (Kool et al. 2019)', () => {
  it('is reproducible for a seed', async () => {
    const run = (seed: number) => beamSearch(abc(), [S], { width: 3, maxTokens: 4, stochastic: true, seed, nBest: 3 });
    expect((await run(7)).hypotheses).toEqual((await run(7)).hypotheses);
  });

  it('returns distinct sequences, all of them when the width allows, with their log-probabilities', async () => {
    const result = await beamSearch(coin(), [2], { width: 3, maxTokens: 2, stochastic: true, seed: 1, nBest: 3 });
    const sorted = [...result.hypotheses].sort((a, b) => a.tokens.join().localeCompare(b.tokens.join()));
    expect(sorted.map((h) => h.tokens)).toEqual([[END], [1, END], [1, 1]]);
    expect(sorted.map((h) => h.logprob)).toEqual([expect.closeTo(ln(0.5), 6), expect.closeTo(ln(0.25), 6), expect.closeTo(ln(0.25), 6)]);
    expect(sorted.map((h) => h.stopped)).toEqual([true, true, false]);
    // ranked by their perturbed keys, best first
    expect(result.hypotheses[0]!.score).toBeGreaterThanOrEqual(result.hypotheses[1]!.score);
    expect(result.hypotheses[1]!.score).toBeGreaterThanOrEqual(result.hypotheses[2]!.score);
  });

  it('its first hypothesis is a sample from the model: [END] .5, [x END] .25, [x x] .25', async () => {
    const counts = [0, 0, 0];
    for (let seed = 0; seed < 3000; seed++) {
      const best = (await beamSearch(coin(), [2], { width: 2, maxTokens: 2, stochastic: true, seed })).hypotheses[0]!;
      const cell = best.tokens.length === 1 ? 0 : best.tokens[1] === END ? 1 : 2;
      counts[cell] = (counts[cell] ?? 0) + 1;
    }
    expect(chiSquareTest(counts, [0.5, 0.25, 0.25]).pValue).toBeGreaterThan(1e-3);
  });

  it('draws without replacement, including tokens outside the explicitly perturbed top width', async () => {
    // One step over five tokens of probability .3 .25 .2 .15 .1 with width 2: only the two most
    // likely are perturbed one by one; the other three enter through the truncated-Gumbel draws.
    // First pick: P(i) = p_i. Second pick: P(j) = Σ_{i≠j} p_i · p_j / (1 − p_i).
    const p = [0.3, 0.25, 0.2, 0.15, 0.1];
    const model = bigramModel(['END', 't1', 't2', 't3', 't4', 't5', 'S'], { S: { t1: p[0]!, t2: p[1]!, t3: p[2]!, t4: p[3]!, t5: p[4]! } });
    const first = [0, 0, 0, 0, 0];
    const second = [0, 0, 0, 0, 0];
    for (let seed = 0; seed < 4000; seed++) {
      const [h1, h2] = (await beamSearch(model, [6], { width: 2, maxTokens: 1, stochastic: true, seed, nBest: 2 })).hypotheses;
      first[h1!.tokens[0]! - 1] = (first[h1!.tokens[0]! - 1] ?? 0) + 1;
      second[h2!.tokens[0]! - 1] = (second[h2!.tokens[0]! - 1] ?? 0) + 1;
      expect(h1!.tokens[0]).not.toBe(h2!.tokens[0]);
    }
    const expectedSecond = p.map((pj, j) => p.reduce((sum, pi, i) => (i === j ? sum : sum + (pi * pj) / (1 - pi)), 0));
    expect(chiSquareTest(first, p).pValue).toBeGreaterThan(1e-3);
    expect(chiSquareTest(second, expectedSecond).pValue).toBeGreaterThan(1e-3);
  });
});
