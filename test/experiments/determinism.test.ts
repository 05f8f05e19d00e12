import { describe, expect, it } from 'vitest';
import { analyzeDeterminism, distinctOutputs } from '../../src/experiments/determinism.js';
import type { TokenInfo } from '../../src/providers/types.js';

const tok = (token: string, logprob: number | null, top?: [string, number][]): TokenInfo => ({ token, logprob, ...(top ? { top: top.map(([t, l]) => ({ token: t, logprob: l })) } : {}) });

describe('distinctOutputs', () => {
  it('groups equal strings, most frequent first, ties by first appearance', () => {
    expect(distinctOutputs(['a', 'b', 'b', 'c'])).toEqual([
      { text: 'b', count: 2, trials: [1, 2] },
      { text: 'a', count: 1, trials: [0] },
      { text: 'c', count: 1, trials: [3] },
    ]);
  });
});

describe('analyzeDeterminism', () => {
  it('ten equal answers: one distinct output, no divergence (the seed test 1 result)', () => {
    const result = analyzeDeterminism(Array.from({ length: 10 }, () => ({ text: '2 + 2 equals 4.' })));
    expect(result).toEqual({ trials: 10, distinct: 1, deterministic: true, outputs: [{ text: '2 + 2 equals 4.', count: 10, trials: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] }] });
  });

  it('without tokens, diverges at the first differing character', () => {
    const result = analyzeDeterminism([{ text: '2 + 2 = 4.' }, { text: '2 + 2 = 4.' }, { text: '2 + 2 is 4.' }]);
    expect(result.distinct).toBe(2);
    expect(result.divergence).toEqual({
      unit: 'character',
      position: 6,
      prefix: '2 + 2 ',
      branches: [
        { text: '= 4.', count: 2, trials: [0, 1] },
        { text: 'is 4.', count: 1, trials: [2] },
      ],
    });
  });

  it('does not split a surrogate pair', () => {
    const result = analyzeDeterminism([{ text: 'a😀' }, { text: 'a😃' }]);
    // '😀' is \uD83D\uDE00 and '😃' is \uD83D\uDE03: they share the high surrogate.
    expect(result.divergence?.position).toBe(1);
    expect(result.divergence?.branches.map((branch) => branch.text)).toEqual(['😀', '😃']);
  });

  it('with tokens, finds the token position and the top-two gap at it', () => {
    const shared = [tok('In', -0.01), tok(' a', -0.02), tok(' dim', -0.3)];
    const a = [...shared, tok('ly', -0.6, [['ly', -0.6], [' light', -0.8], ['ming', -3]]), tok(' lit', -0.1)];
    const b = [...shared, tok(' light', -0.8, [['ly', -0.61], [' light', -0.79]]), tok(' room', -0.2)];
    const text = (tokens: TokenInfo[]): string => tokens.map((t) => t.token).join('');
    const result = analyzeDeterminism([
      { text: text(a), tokens: a },
      { text: text(b), tokens: b },
      { text: text(a), tokens: a },
    ]);
    expect(result.distinct).toBe(2);
    expect(result.divergence).toMatchObject({
      unit: 'token',
      position: 3,
      prefix: 'In a dim',
      branches: [
        { text: 'ly lit', count: 2, trials: [0, 2] },
        { text: ' light room', count: 1, trials: [1] },
      ],
      candidates: [
        { token: 'ly', logprob: -0.6 },
        { token: ' light', logprob: -0.8 },
      ],
    });
    // -0.6 - (-0.8) = 0.2 nats
    expect(result.divergence?.logprobGap).toBeCloseTo(0.2, 12);
  });

  it('without top alternatives, takes the gap from the tokens the branches chose', () => {
    const a = [tok('A', -0.1), tok('B', -0.5)];
    const b = [tok('A', -0.1), tok('C', -1.25)];
    const result = analyzeDeterminism([
      { text: 'AB', tokens: a },
      { text: 'AC', tokens: b },
    ]);
    expect(result.divergence?.candidates).toEqual([
      { token: 'B', logprob: -0.5 },
      { token: 'C', logprob: -1.25 },
    ]);
    expect(result.divergence?.logprobGap).toBeCloseTo(0.75, 12);
  });

  it('a trial that stops early diverges where it ended (its branch is empty)', () => {
    const a = [tok('4', -0.1), tok('.', -0.2)];
    const b = [tok('4', -0.1)];
    const result = analyzeDeterminism([
      { text: '4.', tokens: a },
      { text: '4', tokens: b },
    ]);
    expect(result.divergence).toMatchObject({ unit: 'token', position: 1, prefix: '4', branches: [{ text: '.' }, { text: '' }] });
    expect(result.divergence?.logprobGap).toBeUndefined();
  });

  it('falls back to characters when tokens do not spell the text', () => {
    const result = analyzeDeterminism([
      { text: 'xy', tokens: [tok('x', -1)] },
      { text: 'xz', tokens: [tok('x', -1), tok('z', -1)] },
    ]);
    expect(result.divergence?.unit).toBe('character');
    expect(result.divergence?.position).toBe(1);
  });
});
