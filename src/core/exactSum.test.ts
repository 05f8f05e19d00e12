import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactSum } from './exactSum.js';

/** An exact rational sum, written independently: numerator over 2^1100 via BigInt, from each term's decimal-free bits. */
function exactSum(terms: number[]): { num: bigint; shift: bigint } {
  const shift = 1100n;
  let num = 0n;
  const view = new DataView(new ArrayBuffer(8));
  for (const x of terms) {
    if (x === 0) continue;
    view.setFloat64(0, x);
    const bits = view.getBigUint64(0);
    const exponent = Number((bits >> 52n) & 0x7ffn);
    let mantissa = bits & ((1n << 52n) - 1n);
    if (exponent !== 0) mantissa |= 1n << 52n;
    const e = BigInt(Math.max(exponent, 1) - 1075);
    const value = mantissa << (shift + e);
    num += x < 0 ? -value : value;
  }
  return { num, shift };
}

/** The float64 nearest to num / 2^shift, by bisection on the float64 grid (independent of the code under test). */
function nearest({ num, shift }: { num: bigint; shift: bigint }): number {
  if (num === 0n) return 0;
  const magnitude = num < 0n ? -num : num;
  const length = BigInt(magnitude.toString(2).length);
  const cut = length > 60n ? length - 60n : 0n;
  const approx = (num < 0n ? -1 : 1) * Number(magnitude >> cut) * 2 ** Number(cut - shift);
  const candidates = [approx, nextUp(approx), nextDown(approx), nextUp(nextUp(approx)), nextDown(nextDown(approx))];
  let best = approx;
  let bestDistance = -1n;
  for (const c of candidates) {
    const d = exactSum([c]).num - num;
    const distance = d < 0n ? -d : d;
    if (bestDistance < 0n || distance < bestDistance || (distance === bestDistance && evenMantissa(c))) {
      best = c;
      bestDistance = distance;
    }
  }
  return best;
}
const view = new DataView(new ArrayBuffer(8));
function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  view.setFloat64(0, x);
  view.setBigInt64(0, view.getBigInt64(0) + (x > 0 ? 1n : -1n));
  return view.getFloat64(0);
}
function nextDown(x: number): number {
  return -nextUp(-x);
}
function evenMantissa(x: number): boolean {
  view.setFloat64(0, x);
  return (view.getBigUint64(0) & 1n) === 0n;
}

describe('ExactSum', () => {
  it('keeps what float64 addition loses', () => {
    const s = new ExactSum();
    for (const x of [1, 1e-30, -1]) s.add(x);
    expect(s.rounded()).toBe(1e-30);
    s.clear();
    for (let i = 0; i < 10; i++) s.add(0.1);
    expect(s.rounded()).toBe(1); // ten times the double nearest 0.1 is 1 + 5.55e-17, nearest double 1
  });

  it('rounds the exact sum once, whatever the order of the terms', () => {
    const term = fc.oneof(
      fc.float({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map(Math.fround),
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e10, max: 1e10 }),
      fc.integer({ min: -60, max: 10 }).map((e) => 2 ** e),
    );
    fc.assert(
      fc.property(fc.array(term, { maxLength: 60 }), fc.integer(), (terms, seed) => {
        const s = new ExactSum();
        for (const x of terms) s.add(x);
        const expected = nearest(exactSum(terms));
        expect(s.rounded()).toBe(expected);
        // Shuffled, and with the terms added as products x · 1.
        const shuffled = terms.slice().sort((a, b) => ((a * 7919 + seed) % 13) - ((b * 7919 + seed) % 13));
        s.clear();
        for (const x of shuffled) s.addProduct(x, 1);
        expect(s.rounded()).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('adds exact products', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.float({ noNaN: true, noDefaultInfinity: true, min: -100, max: 100 }), fc.float({ noNaN: true, noDefaultInfinity: true, min: -100, max: 100 })), { maxLength: 30 }), (pairs) => {
        const s = new ExactSum();
        let num = 0n;
        const shift = 1100n;
        for (const [a, b] of pairs) {
          s.addProduct(Math.fround(a), Math.fround(b));
          const x = exactSum([Math.fround(a)]);
          const y = exactSum([Math.fround(b)]);
          num += (x.num * y.num) >> shift;
        }
        expect(s.rounded()).toBe(nearest({ num, shift }));
      }),
    );
  });

  it('compares a + extra with p · b exactly, also at exact ties', () => {
    const a = new ExactSum();
    const b = new ExactSum();
    for (let i = 0; i < 3; i++) b.add(0.25);
    a.add(0.5);
    expect(a.compare(0.25, 1, b)).toBe(0); // 0.75 vs 0.75
    expect(a.compare(0, 2 / 3, b)).toBe(1); // 0.5 vs 0.75·(2/3 rounded down)
    expect(a.compare(0, 0.6666666666666667, b)).toBe(-1); // 2/3 rounded up: 0.5 vs 0.50000000000000002
    a.clear();
    a.add(1e-300);
    expect(a.compare(0, 0, null)).toBe(1);
    a.add(-1e-300);
    expect(a.compare(0, 0, null)).toBe(0);
  });
});
