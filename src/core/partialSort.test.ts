import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byValueDescending, partialSort, selectFirst } from './partialSort.js';

describe('partial selection', () => {
  it('selectFirst gives the first count items of a full sort, best first', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 200 }), fc.integer({ min: 0, max: 210 }), (values, count) => {
        const before = byValueDescending(values);
        const out = new Int32Array(Math.max(count, 1));
        const taken = selectFirst(null, values.length, count, before, out);
        const sorted = values.map((_, id) => id).sort((a, b) => (before(a, b) ? -1 : 1));
        expect(taken).toBe(Math.min(count, values.length));
        expect(Array.from(out.subarray(0, taken))).toEqual(sorted.slice(0, taken));
      }),
    );
  });

  it('partialSort keeps every item: the first count in order, the others after', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 100 }), fc.integer({ min: 1, max: 100 }), (values, count) => {
        const ids = Int32Array.from(values.keys()).reverse();
        const before = byValueDescending(values);
        const taken = partialSort(ids, ids.length, count, before, new Int32Array(ids.length));
        const sorted = values.map((_, id) => id).sort((a, b) => (before(a, b) ? -1 : 1));
        expect(Array.from(ids.subarray(0, taken))).toEqual(sorted.slice(0, taken));
        expect(Array.from(ids).sort((a, b) => a - b)).toEqual(sorted.slice().sort((a, b) => a - b));
      }),
    );
  });

  it('ties go to the lower id (the order of logits in every sampler)', () => {
    const out = new Int32Array(3);
    selectFirst(Int32Array.of(4, 2, 0, 3, 1), 5, 3, byValueDescending([1, 3, 3, 0, 3]), out);
    expect(Array.from(out)).toEqual([1, 2, 4]);
  });
});
