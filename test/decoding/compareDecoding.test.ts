import { describe, expect, it } from 'vitest';
import { compareDecoding, decodingMetrics } from '../../src/decoding/compareDecoding.js';
import type { DecodingStrategy } from '../../src/decoding/strategies.js';
import { ABC_TABLE, ABC_WORDS, A, B, C, END, S, bigramModel } from './bigramModel.js';

const ln = Math.log;
const strategies: DecodingStrategy[] = [
  { name: 'greedy', label: 'Greedy', family: 'maximization', kind: 'sampler', chain: [{ greedy: true }] },
  { name: 'beam-2', label: 'Beam, b=2', family: 'maximization', kind: 'beam', width: 2 },
  { name: 'future', label: 'Future', family: 'truncation', kind: 'sampler', chain: [{ not_yet_a_sampler: 1 }] },
];
const prompts = [
  { prompt: [S], reference: [A, B] },
  { prompt: [S], reference: [B, C] },
];

describe('compareDecoding on a hand-made bigram model', () => {
  it('scores the human references: perplexity, self-BLEU-4, Zipf, repetition, distinct-n', async () => {
    const result = await compareDecoding(bigramModel(ABC_WORDS, ABC_TABLE), prompts, { maxTokens: 2, strategies });
    expect(result.rows.map((row) => row.name)).toEqual(['human', 'greedy', 'beam-2', 'future']);
    const human = result.rows[0]!.metrics!;
    // P(a|S) P(b|a) P(b|S) P(c|b) = .5 · .3 · .4 · .9 = .054 over 4 tokens
    expect(human.perplexity).toBeCloseTo(Math.pow(0.054, -1 / 4), 5);
    // "a b" vs "b c": unigram b matches (1/2), no bigram (0.1/1), no trigram or 4-gram (0.1/1 each); same both ways.
    expect(human.selfBleu4).toBeCloseTo(Math.pow(0.5 * 0.1 * 0.1 * 0.1, 1 / 4), 12);
    // counts b 2, a 1, c 1 at ranks 1..3: s = (a + b)·a/3 / (a² + b² − (a + b)²/3) with a = ln 2, b = ln 3
    const [a2, b3] = [ln(2), ln(3)];
    expect(human.zipf).toBeCloseTo(((a2 + b3) * a2) / 3 / (a2 * a2 + b3 * b3 - ((a2 + b3) * (a2 + b3)) / 3), 12);
    expect(human.repetition).toBe(0);
    expect(human.distinct1).toBe(0.75); // a b b c
    expect(human.distinct2).toBe(1); // a b, b c
    expect(human.meanLength).toBe(2);
    expect(result.rows[0]!.paper?.perplexity).toBe(12.38);
  });

  it('decodes with greedy (a a, p = .175) and beam width 2 (b c, p = .36), and marks an unregistered sampler pending', async () => {
    const result = await compareDecoding(bigramModel(ABC_WORDS, ABC_TABLE), prompts, { maxTokens: 2, strategies });
    const [, greedy, beam, future] = result.rows;
    expect(greedy!.generations!.map((g) => g.tokens)).toEqual([[A, A], [A, A]]);
    expect(greedy!.metrics!.perplexity).toBeCloseTo(Math.pow(0.175, -1 / 2), 5);
    expect(greedy!.metrics!.selfBleu4).toBeCloseTo(Math.sqrt(0.1), 12); // identical pairs of two tokens
    expect(greedy!.metrics!.zipf).toBeNaN(); // one token type
    expect(greedy!.metrics!.distinct2).toBe(0.5);
    expect(greedy!.modelCalls).toBe(4);
    expect(greedy!.paper?.repetitionPercent).toBe(73.66);
    expect(beam!.generations!.map((g) => g.tokens)).toEqual([[B, C], [B, C]]);
    expect(beam!.metrics!.perplexity).toBeCloseTo(1 / 0.6, 5);
    expect(beam!.modelCalls).toBe(6);
    expect(beam!.paper).toBeUndefined();
    expect(future!.status).toBe('pending');
    expect(future!.note).toContain('not_yet_a_sampler');
    expect(future!.metrics).toBeUndefined();
  });

  it('has no human row without references, and reports progress per prompt', async () => {
    const seen: string[] = [];
    const result = await compareDecoding(bigramModel(ABC_WORDS, ABC_TABLE), [{ prompt: [S] }], {
      maxTokens: 1,
      strategies: strategies.slice(0, 1),
      onProgress: (progress) => seen.push(`${progress.row} ${progress.prompt}/${progress.prompts}`),
    });
    expect(result.rows.map((row) => row.name)).toEqual(['greedy']);
    expect(seen).toEqual(['greedy 1/1']);
  });

  it('gives prompt i the seed seed + i in every stochastic row', async () => {
    const pure: DecodingStrategy[] = [{ name: 'pure', label: 'Pure sampling', family: 'sampling', kind: 'sampler', chain: [] }];
    const model = bigramModel(ABC_WORDS, ABC_TABLE);
    const pair = await compareDecoding(model, [{ prompt: [S] }, { prompt: [S] }], { maxTokens: 5, seed: 10, strategies: pure });
    const second = await compareDecoding(model, [{ prompt: [S] }], { maxTokens: 5, seed: 11, strategies: pure });
    expect(pair.rows[0]!.generations![1]).toEqual(second.rows[0]!.generations![0]);
  });
});

describe('the stop rule in every row', () => {
  it('a stop token ends the human, sampled and beam generations alike, and is neither counted nor scored', async () => {
    // Tokens 0 END (stop), 1 x, 2 y, 3 S.  S: END .1, x .9;  x: END .9, x .05, y .05;  y: END 1.
    // Greedy: S → x (.9) → END (.9). Beam, width 2: [x END] (mean ln .81 / 2 = −0.105) beats [END]
    // (ln .1 = −2.303) and every 3-token hypothesis (at most ln .045 / 3 = −1.034).
    const model = bigramModel(['END', 'x', 'y', 'S'], { S: { END: 0.1, x: 0.9 }, x: { END: 0.9, x: 0.05, y: 0.05 }, y: { END: 1 }, END: { END: 1 } });
    const result = await compareDecoding(model, [{ prompt: [3], reference: [1, END] }], { maxTokens: 3, strategies: strategies.slice(0, 2) });
    expect(result.rows.map((row) => row.name)).toEqual(['human', 'greedy', 'beam-2']);
    for (const row of result.rows) {
      expect(row.generations, row.name).toEqual([{ tokens: [1], logprobs: [expect.closeTo(ln(0.9), 6)], stopped: true }]);
      expect(row.metrics!.meanLength, row.name).toBe(1);
      expect(row.metrics!.perplexity, row.name).toBeCloseTo(1 / 0.9, 6);
    }
    expect(result.rows[1]!.modelCalls).toBe(2); // the step that drew END called the model too
  });
});

describe('decodingMetrics', () => {
  it('scores every token it is given: perplexity, distinct-n and mean length', () => {
    const metrics = decodingMetrics([{ tokens: [A, B], logprobs: [ln(0.5), ln(0.1)], stopped: true }]);
    expect(metrics.perplexity).toBeCloseTo(Math.pow(0.05, -1 / 2), 12);
    expect(metrics.distinct1).toBe(1); // a, b
    expect(metrics.meanLength).toBe(2);
  });
});
