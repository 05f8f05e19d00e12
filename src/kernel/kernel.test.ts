import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exp32 } from '../core/exp.js';
import type { Kernel } from './kernel.js';
import { TsKernel, floatBits, scaleValue } from './tsKernel.js';
import { createWasmKernel } from './wasmKernel.js';

const wasm = createWasmKernel();
const ts = new TsKernel();

/** A row of float32 logits with ties, -Infinity and a spread of magnitudes. */
const rowArbitrary = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.float({ min: -30, max: 30, noNaN: true, noDefaultInfinity: true }) },
      { weight: 2, arbitrary: fc.constantFrom(0, 1, -1, 2.5, -7) },
      { weight: 1, arbitrary: fc.constant(-Infinity) },
      { weight: 1, arbitrary: fc.float({ min: -1e4, max: 1e4, noNaN: true, noDefaultInfinity: true }) },
    ),
    { minLength: 1, maxLength: 700 },
  )
  .map((values) => Float32Array.from(values));

function nextUp(x: number): number {
  const f = new Float32Array([x]);
  const i = new Int32Array(f.buffer);
  i[0] = (i[0] as number) + (x >= 0 ? 1 : -1);
  return f[0] as number;
}

function both(row: Float32Array, run: (kernel: Kernel, n: number) => unknown): [unknown, unknown] {
  const n = row.length;
  const results: unknown[] = [];
  for (const kernel of [ts, wasm] as Kernel[]) {
    kernel.reserve(n);
    kernel.load(row, 0, n);
    results.push(run(kernel, n));
  }
  return [results[0], results[1]];
}

describe.runIf(wasm !== null)('WebAssembly and TypeScript kernels', () => {
  it('agree on scan, argmax, counts and gathers', () => {
    fc.assert(
      fc.property(rowArbitrary, fc.float({ min: -40, max: 40, noNaN: true }), (row, t) => {
        const threshold = Math.fround(t);
        const [a, b] = both(row, (kernel, n) => {
          const finite = kernel.scan(n);
          const max = kernel.max;
          const nan = kernel.nan;
          const argmax = kernel.argmax(n); // its nan flag may differ (WebAssembly flags overflows too)
          kernel.args[0] = threshold;
          const count = kernel.countAtLeast(n);
          const first = kernel.firstAtLeast(n);
          const gathered = kernel.gather(n, n);
          const ids = Array.from(kernel.ids.subarray(0, Math.max(gathered, 0)));
          const capped = kernel.gather(n, 3);
          kernel.args[0] = 2.5;
          const scanned = kernel.scanGather(n, 50);
          const near = kernel.gathered;
          const nearIds = Array.from(kernel.ids.subarray(0, Math.max(near, 0)));
          return { finite, max, nan, argmax, count, first, gathered, ids, capped, scanned, near, nearIds, threshold: kernel.args[1] };
        });
        expect(b).toEqual(a);
      }),
      { numRuns: 300 },
    );
  });

  it('compute identical exact weights for every temperature mode, and the same histograms', () => {
    fc.assert(
      fc.property(rowArbitrary, fc.constantFrom(0, 1, 2, 3), fc.constantFrom(0.3, 0.8, 1.5, 2, 7.3), (row, mode, t) => {
        const d = mode === 1 ? 1 / 2 : mode === 2 ? 1 / t : mode === 3 ? Math.fround(t) : 1;
        const [a, b] = both(row, (kernel, n) => {
          kernel.scan(n);
          const top = scaleValue(kernel.max, mode, d);
          const lo = Math.fround(kernel.max - 5);
          kernel.args.set([lo, top, d]);
          kernel.weights(n, mode);
          const count = kernel.total === 0 ? 0 : 1;
          const w = Array.from(kernel.w.subarray(0, n));
          kernel.histogram(n);
          const counts = Array.from(kernel.counts).join(',');
          const bits = floatBits(1) >>> 16;
          const bracket = kernel.gatherBits(n, (bits - 3) << 16, (bits + 1) << 16, n);
          kernel.args[0] = lo;
          const blocks = kernel.blockSums(n, 8);
          return { count, w, counts, bracket, ids: Array.from(kernel.ids.subarray(0, Math.max(bracket, 0))), blocks };
        });
        expect(b).toEqual(a);
        // The weights are exp32 of the scaled logit minus the scaled maximum.
        const w = (a as { w: number[] }).w;
        for (let i = 0; i < row.length; i++) {
          const x = row[i] as number;
          if ((w[i] as number) !== 0) {
            const top = scaleValue(Math.max(...Array.from(row).filter((v) => v === v)), mode, d);
            expect(w[i]).toBe(exp32(scaleValue(x, mode, d) - top));
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('gatherTail', () => {
  const kernels: Kernel[] = wasm ? [ts, wasm] : [ts];
  for (const kernel of kernels) {
    it(`${kernel.kind}: approximates the tail within tailError and gathers the head`, () => {
      fc.assert(
        fc.property(rowArbitrary, fc.constantFrom(0.25, 0.8, 1, 1.25, 3), fc.integer({ min: 1, max: 40 }), fc.constantFrom(0, 1), fc.constantFrom(0, 1), (row, scale, gap, open, precise) => {
          const n = row.length;
          kernel.reserve(n);
          kernel.load(row, 0, n);
          kernel.scan(n);
          const top = kernel.max;
          if (top === -Infinity) return;
          // open = 1: lo is the span limit; 0: a live threshold 30/scale below the top.
          const limit = Math.fround(top - 90 / scale);
          const lo = open === 1 ? (limit < top - 90 / scale ? nextUp(limit) : limit) : Math.fround(top - 30 / scale);
          const hi = Math.fround(top - gap / scale);
          kernel.args.set([lo, hi, top, scale, open, precise]);
          const count = kernel.gatherTail(n, n);
          let exact = 0;
          const head: number[] = [];
          for (let i = 0; i < n; i++) {
            const x = row[i] as number;
            if (x >= hi) head.push(i);
            else if (x >= lo) exact += Math.exp((x - top) * scale);
          }
          // With open = 1 values below lo may be counted: at most e^-90 each.
          const below = open === 1 ? n * Math.exp(-90) : 0;
          expect(count).toBe(head.length);
          expect(Array.from(kernel.ids.subarray(0, count))).toEqual(head);
          // Below float32's normal range (e^-87.3) both sides may round to 0 or a subnormal.
          const bound = precise === 1 ? kernel.tailError : kernel.tailErrorCheap;
          expect(Math.abs(kernel.tail - exact)).toBeLessThanOrEqual(exact * bound + n * 2 ** -125 + below);
        }),
        { numRuns: 300 },
      );
    });
  }
});
