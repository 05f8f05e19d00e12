import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rankDescending } from '../../src/core/rankDescending.js';

const bySort = (values: Float32Array): number[] => Array.from(values.keys()).sort((a, b) => (values[b] as number) - (values[a] as number) || a - b);

describe('rankDescending', () => {
  it('orders by value, largest first, ties by lower index', () => {
    expect(Array.from(rankDescending(new Float32Array([0.2, 0.5, 0.2, 0.1])))).toEqual([1, 0, 2, 3]);
    expect(Array.from(rankDescending(new Float32Array([0, 1, 0, Infinity, 1e-45])))).toEqual([3, 1, 4, 0, 2]);
    expect(Array.from(rankDescending(new Float32Array([])))).toEqual([]);
    expect(Array.from(rankDescending(new Float32Array([7])))).toEqual([0]);
  });

  it('takes the comparator order for negative values, -0 and NaN', () => {
    for (const values of [[0.5, -1, 2], [0, -0, 0.5], [NaN, 1, 0]]) {
      const array = new Float32Array(values);
      expect(Array.from(rankDescending(array))).toEqual(bySort(array));
    }
  });

  it('equals the comparator sort on probabilities with many ties, and on a 200007-id vocabulary', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(0, 0.25, 0.5, 1e-30), fc.float({ min: 0, max: 1, noNaN: true })), { maxLength: 300 }), (values) => {
        const array = new Float32Array(values.map((value) => Math.abs(value)));
        expect(Array.from(rankDescending(array))).toEqual(bySort(array));
      }),
    );
    const vocabulary = new Float32Array(200_007);
    for (let id = 0; id < vocabulary.length; id++) vocabulary[id] = ((id * 7919) % 1009) / 1009 / 200_007;
    expect(Array.from(rankDescending(vocabulary))).toEqual(bySort(vocabulary));
  });
});
