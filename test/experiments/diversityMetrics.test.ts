import { describe, expect, it } from 'vitest';
import { diversityMetrics } from '../../src/experiments/diversityMetrics.js';
import { metricsBySetting } from '../../src/experiments/metricsBySetting.js';
import type { ResultRow } from '../../src/experiments/resultRow.js';

describe('diversityMetrics', () => {
  // Words: [the cat sat] x 2, [the dog ran].
  const texts = ['the cat sat', 'the cat sat', 'the dog ran'];
  const metrics = diversityMetrics(texts.map((text) => ({ text })));

  it('counts distinct completions and distinct-1/2/3 over words', () => {
    expect(metrics.count).toBe(3);
    expect(metrics.distinct).toBe(2);
    expect(metrics.distinct1).toBeCloseTo(5 / 9, 12); // the cat sat dog ran / 9 unigrams
    expect(metrics.distinct2).toBeCloseTo(4 / 6, 12); // the-cat cat-sat the-dog dog-ran / 6 bigrams
    expect(metrics.distinct3).toBeCloseTo(2 / 3, 12); // 2 distinct of 3 trigrams
  });

  it('mean pairwise cosine similarity: (1 + 1/3 + 1/3) / 3 = 5/9', () => {
    expect(metrics.pairwiseSimilarity).toBeCloseTo(5 / 9, 12);
  });

  it('self-BLEU-4: ((0.1)^(1/4) x 2 + (1/3 x 0.05 x 0.1 x 0.1)^(1/4)) / 3', () => {
    // Texts 1 and 2 match each other fully up to trigrams; no 4-gram exists (smoothed to 0.1/1).
    // Text 3 matches 1 of 3 unigrams; bigrams 0 of 2 -> 0.1/2; trigrams 0.1/1; 4-grams 0.1/1.
    const expected = (2 * 0.1 ** 0.25 + ((1 / 3) * 0.05 * 0.1 * 0.1) ** 0.25) / 3;
    expect(metrics.selfBleu).toBeCloseTo(expected, 12);
    expect(metrics.selfBleu).toBeCloseTo(0.412768, 6);
  });

  it('mean length in words and characters', () => {
    expect(metrics.meanWords).toBe(3);
    expect(metrics.meanChars).toBe(11);
  });

  it('has no log-probability metrics without tokens', () => {
    expect(metrics.meanLogprob).toBeUndefined();
    expect(metrics.perplexity).toBeUndefined();
  });

  it('pools log-probabilities over tokens: mean -8/6, perplexity e^(4/3)', () => {
    const withTokens = diversityMetrics([
      { text: 'ab', tokens: [{ token: 'a', logprob: -1 }, { token: 'b', logprob: -2 }] },
      { text: 'c', tokens: [{ token: 'c', logprob: -3 }] },
      { text: 'def', tokens: [{ token: 'd', logprob: -0.5 }, { token: 'e', logprob: -0.5 }, { token: 'f', logprob: -1 }] },
    ]);
    expect(withTokens.meanLogprob).toBeCloseTo(-4 / 3, 12);
    expect(withTokens.perplexity).toBeCloseTo(Math.exp(4 / 3), 12);
  });

  it('leaves log-probabilities out when one completion lacks them', () => {
    const mixed = diversityMetrics([{ text: 'a', tokens: [{ token: 'a', logprob: -1 }] }, { text: 'b', tokens: [{ token: 'b', logprob: null }] }]);
    expect(mixed.meanLogprob).toBeUndefined();
  });

  it('one completion: NaN self-BLEU and similarity, distinct 1', () => {
    const one = diversityMetrics([{ text: 'hello world' }]);
    expect(one.distinct).toBe(1);
    expect(one.selfBleu).toBeNaN();
    expect(one.pairwiseSimilarity).toBeNaN();
    expect(one.distinct1).toBe(1);
  });
});

describe('metricsBySetting', () => {
  const row = (ordinal: number, temperature: number, text: string | null, status: 'ok' | 'rejected' = 'ok'): ResultRow => ({
    type: 'completion', key: `k${ordinal}`, ordinal, experiment: 'e', prompt_id: 'p1', prompt: 'P', provider: 'local', model: 'embedded', label: 'local/embedded',
    settings: { temperature }, index: ordinal % 2, status, text, notes: [], latency_ms: 1, sent: {}, attempts: 1, started_at: 't', finished_at: 't',
    ...(status === 'rejected' ? { rejected: [{ parameter: 'temperature', value: temperature, reason: 'rejected by provider: temperature = 3 is out of range' }] } : {}),
  });

  it('groups by target, prompt and setting in job order, leaving refused rows out of the metrics', () => {
    const cells = metricsBySetting([row(3, 1, 'b a'), row(0, 0, 'a b'), row(1, 0, 'a b'), row(2, 1, 'a b'), row(4, 3, null, 'rejected'), row(5, 3, null, 'rejected')]);
    expect(cells.map((cell) => [cell.settings.temperature, cell.metrics.count, cell.metrics.distinct, cell.rejected])).toEqual([
      [0, 2, 1, 0],
      [1, 2, 2, 0],
      [3, 0, 0, 2],
    ]);
    expect(cells[2]?.rejectedReason).toBe('rejected by provider: temperature = 3 is out of range');
  });
});
