import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { entropy, InvalidInputError, InvalidParameterError, logSoftmax, perplexity, sequencePerplexity, softmax, softmaxWithTemperature, argmax } from '../../src/index.js';
import { expectClose, reference, referencePath, shippedPath } from './reference.js';

describe('reference data', () => {
  it('the shipped copy equals the shared reference file', () => {
    expect(readFileSync(shippedPath, 'utf8')).toBe(readFileSync(referencePath, 'utf8'));
  });
});

describe('softmax', () => {
  it('reproduces softmax.py on [2, 1.5, 1, 0.5, 0]', () => {
    expectClose(softmax(reference.softmax_5.logits), reference.softmax_5.probs, 1e-7);
  });

  it('is stable for huge logits (no overflow)', () => {
    const probs = softmax([1000, 1000, -1000]);
    expectClose(probs, [0.5, 0.5, 0], 1e-7);
  });

  it('gives -Infinity logits probability 0', () => {
    expectClose(softmax([0, -Infinity, 0]), [0.5, 0, 0.5], 1e-7);
  });

  it('rejects NaN, +Infinity, empty and all -Infinity input, naming the value', () => {
    expect(() => softmax([1, NaN])).toThrow(InvalidInputError);
    expect(() => softmax([1, NaN])).toThrow(/logits\[1\] = NaN/);
    expect(() => softmax([Infinity, 1])).toThrow(/logits\[0\] = Infinity/);
    expect(() => softmax([])).toThrow(/empty/);
    expect(() => softmax([-Infinity, -Infinity])).toThrow(/all -Infinity/);
  });
});

describe('softmaxWithTemperature', () => {
  it('reproduces every row of the seed temperature table', () => {
    for (const row of reference.temperature_table.rows) {
      expectClose(softmaxWithTemperature(reference.temperature_table.logits, row.T), row.probs, 2e-7);
    }
  });

  it('T = 0 is one-hot at the first maximum', () => {
    expect(Array.from(softmaxWithTemperature([1, 3, 3, 2], 0))).toEqual([0, 1, 0, 0]);
  });

  it('rejects T < 0 and non-finite T with the allowed range', () => {
    expect(() => softmaxWithTemperature([1, 2], -0.5)).toThrow(InvalidParameterError);
    expect(() => softmaxWithTemperature([1, 2], -0.5)).toThrow('temperature = -0.5 is out of range: expected a finite number >= 0');
    expect(() => softmaxWithTemperature([1, 2], NaN)).toThrow(/temperature = NaN/);
    expect(() => softmaxWithTemperature([1, 2], Infinity)).toThrow(/temperature = Infinity/);
  });

  it('reproduces the four panels of the seed figure', () => {
    for (const panel of reference.temperature_figure.panels) {
      const probs = softmaxWithTemperature(reference.temperature_figure.logits, panel.T);
      expectClose(probs, panel.probs, 2e-7);
      expect(`${((probs[0] as number) * 100).toFixed(1)}%`).toBe(panel.top_label);
    }
  });
});

describe('logSoftmax', () => {
  it('equals ln of softmax', () => {
    const logits = reference.softmax_5.logits as number[];
    expectClose(logSoftmax(logits), (reference.softmax_5.probs as number[]).map(Math.log), 1e-6);
  });

  it('keeps -Infinity', () => {
    const result = logSoftmax([0, -Infinity]);
    expect(result[0]).toBeCloseTo(0, 7);
    expect(result[1]).toBe(-Infinity);
  });
});

describe('entropy and perplexity', () => {
  it('reproduces the seed entropies with its +1e-10 inside the log', () => {
    for (const row of reference.temperature_table.rows) {
      const probs = softmaxWithTemperature(reference.temperature_table.logits, row.T);
      const value = entropy(probs, { epsilon: 1e-10 });
      expect(value).toBeCloseTo(row.entropy_nats, 6);
      expect(value.toFixed(2)).toBe(row.entropy_2dp);
    }
  });

  it('matches the entropies of the figure panels (exact definition)', () => {
    for (const panel of reference.temperature_figure.panels) {
      expect(entropy(softmaxWithTemperature(reference.temperature_figure.logits, panel.T))).toBeCloseTo(panel.entropy_nats, 4);
    }
  });

  it('is ln 2 nats and 1 bit for a fair coin; 0 for a certainty', () => {
    expect(entropy([0.5, 0.5])).toBeCloseTo(Math.LN2, 12);
    expect(entropy([0.5, 0.5], { unit: 'bits' })).toBeCloseTo(1, 12);
    expect(entropy([0, 1, 0])).toBe(0);
  });

  it('perplexity of a uniform distribution over n is n', () => {
    expect(perplexity([0.25, 0.25, 0.25, 0.25])).toBeCloseTo(4, 12);
    expect(sequencePerplexity([Math.log(0.5), Math.log(0.25)])).toBeCloseTo(1 / Math.sqrt(0.125), 12);
    expect(sequencePerplexity([])).toBe(1);
  });
});

describe('argmax', () => {
  it('returns the first maximum', () => {
    expect(argmax([1, 3, 3, 2])).toBe(1);
    expect(argmax([-Infinity, -Infinity])).toBe(0);
    expect(argmax([])).toBe(-1);
  });
});
