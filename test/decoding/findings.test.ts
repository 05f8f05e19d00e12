import { describe, expect, it } from 'vitest';
import { decodingFindings, paperFindings, type FindingRow } from '../../src/decoding/findings.js';

const row = (name: string, family: FindingRow['family'], perplexity: number, selfBleu4: number, repetition: number): FindingRow => ({ name, family, perplexity, selfBleu4, repetition });

describe('decodingFindings', () => {
  it('checks each finding on the paper\u2019s own Table 1: all hold but nucleus-closest-in-repetition (top-k 640 hits 0.28 exactly)', () => {
    const verdicts = Object.fromEntries(paperFindings().map((finding) => [finding.id, finding.holds]));
    expect(verdicts).toEqual({
      'maximization-repeats-most': true, // 73.66, 28.94 vs at most 8.86
      'maximization-lowest-perplexity': true, // 1.50, 1.48 vs at least 3.48
      'pure-highest-perplexity': true, // 22.73 vs 19.20
      'pure-lowest-self-bleu': true, // 0.28, tied with stochastic beam
      'nucleus-closest-perplexity': true, // |ln 13.13 − ln 12.38| = 0.059 < 0.110 (top-k 640)
      'nucleus-closest-repetition': false, // 0.36 vs 0.28 (top-k 640: 0.28)
    });
  });

  it('fails a finding when one row breaks it, and says n/a (null) without the rows it needs', () => {
    const rows = [
      row('human', 'human', 100, 0.1, 0),
      row('greedy', 'maximization', 5, 0.9, 0.1),
      row('pure', 'sampling', 300, 0.05, 0),
      row('top-k-40', 'truncation', 20, 0.2, 0.2), // repeats more than greedy
    ];
    const verdicts = Object.fromEntries(decodingFindings(rows).map((finding) => [finding.id, finding.holds]));
    expect(verdicts['maximization-repeats-most']).toBe(false);
    expect(verdicts['maximization-lowest-perplexity']).toBe(true);
    expect(verdicts['pure-highest-perplexity']).toBe(true);
    expect(verdicts['pure-lowest-self-bleu']).toBe(true);
    expect(verdicts['nucleus-closest-perplexity']).toBeNull();
  });

  it('measures closeness in perplexity as a ratio: 6 is as far from 12 as 24', () => {
    const rows = [row('human', 'human', 12, 0.3, 0), row('top-p-0.95', 'truncation', 24, 0.3, 0), row('top-k-40', 'truncation', 6, 0.3, 0)];
    const finding = decodingFindings(rows).find((f) => f.id === 'nucleus-closest-perplexity')!;
    expect(finding.holds).toBe(true); // a tie counts as closest
    expect(finding.detail).toContain('human 12.00; nucleus 24.00');
  });
});
