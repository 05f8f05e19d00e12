import { describe, expect, it } from 'vitest';
import { exp32 } from '../core/exp.js';
import { createWasmKernel } from './wasmKernel.js';

const F32 = new Float32Array(1);
const I32 = new Int32Array(F32.buffer);

/** The float32 with bit pattern `bits`. */
function fromBits(bits: number): number {
  I32[0] = bits;
  return F32[0] as number;
}

/** Ulp distance between two float32 values of the same sign. */
function ulps(a: number, b: number): number {
  F32[0] = a;
  const ia = I32[0] as number;
  F32[0] = b;
  return Math.abs(ia - (I32[0] as number));
}

describe('exp32', () => {
  it('is 1 at 0 and 0 far below float32 underflow', () => {
    expect(exp32(0)).toBe(1);
    expect(exp32(-0)).toBe(1);
    expect(exp32(-88)).toBe(0);
    expect(exp32(-1000)).toBe(0);
    expect(exp32(-Infinity)).toBe(0);
  });

  it('returns float32 values within 2 ulp of e^x over [-87, 88]', () => {
    let worst = 0;
    for (let i = 0; i <= 200_000; i++) {
      const x = Math.fround(-87 + (175 * i) / 200_000);
      const expected = Math.fround(Math.exp(x));
      const actual = exp32(x);
      expect(Math.fround(actual)).toBe(actual);
      worst = Math.max(worst, ulps(actual, expected));
    }
    expect(worst).toBeLessThanOrEqual(2);
  });

  it('has relative error below 4e-7 against Math.exp (the bound the fast path uses)', () => {
    let worst = 0;
    for (let i = 0; i <= 100_000; i++) {
      const x = Math.fround(-87 * Math.random());
      worst = Math.max(worst, Math.abs(exp32(x) / Math.exp(x) - 1));
    }
    expect(worst).toBeLessThan(4e-7);
  });

  it('gives bit-identical results in the WebAssembly kernel, and is monotone', () => {
    const kernel = createWasmKernel();
    if (!kernel) return; // no WebAssembly SIMD here: nothing to compare
    const n = 1 << 18;
    kernel.reserve(n);
    // Every float32 in [-88, -2^-10] (about 1.4e8 values), in batches of 2^18: the kernel's
    // weights with top = 0 and no scaling are exp32(x).
    const start = 0xc2b00000; // -88
    const end = 0xba800000; // -2^-10
    let previous = 0;
    let compared = 0;
    for (let batch = start; batch > end; batch -= n) {
      const count = Math.min(n, batch - end);
      const logits = kernel.logits;
      for (let i = 0; i < count; i++) logits[i] = fromBits(batch - i);
      kernel.begin(count);
      kernel.args[0] = 0;
      kernel.weights(count, false);
      const w = kernel.w;
      for (let i = 0; i < count; i++) {
        const value = w[i] as number;
        if (value < previous) throw new Error(`exp32 decreases at ${logits[i]}`);
        previous = value;
      }
      // Compare with the TypeScript exp32 on a stride of the batch.
      for (let i = 0; i < count; i += 97) {
        if ((w[i] as number) !== exp32(logits[i] as number)) throw new Error(`kernel and exp32 differ at ${logits[i]}`);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1_000_000);
  }, 120_000);

  it('agrees between WebAssembly and TypeScript near underflow, on subnormal results', () => {
    const kernel = createWasmKernel();
    if (!kernel) return;
    const n = 4096;
    kernel.reserve(n);
    for (let i = 0; i < n; i++) kernel.logits[i] = Math.fround(-89 + (2.5 * i) / n);
    kernel.begin(n);
    kernel.args[0] = 0;
    kernel.weights(n, false);
    for (let i = 0; i < n; i++) expect(kernel.w[i]).toBe(exp32(kernel.logits[i] as number));
  });
});
