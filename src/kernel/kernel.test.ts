import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exp32 } from '../core/exp.js';
import { expf } from '../core/expf.js';
import { floatKey, keyFloat } from '../core/float32.js';
import { BIN_COUNT, R_ABOVE, R_MAX, R_MIN, R_MOMENT, R_NAN, R_SQUARES, R_SUM, R_SUM32, R_TOTAL, TABLE_SIZE, type Kernel } from './kernel.js';
import { TsKernel } from './tsKernel.js';
import { createWasmKernel } from './wasmKernel.js';

const wasm = createWasmKernel();
const ts = new TsKernel();

/** A row of float32 logits with ties, -Infinity and a spread of magnitudes. */
const rowArbitrary = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.float({ min: -30, max: 30, noNaN: true, noDefaultInfinity: true }) },
      { weight: 3, arbitrary: fc.constantFrom(0, 1, -1, 2.5, -7, -0) },
      { weight: 1, arbitrary: fc.constant(-Infinity) },
      { weight: 1, arbitrary: fc.float({ min: -1e4, max: 1e4, noNaN: true, noDefaultInfinity: true }) },
    ),
    { minLength: 1, maxLength: 700 },
  )
  .map((values) => Float32Array.from(values));

/** Runs the same steps on both kernels (each loaded with the row) and returns both results. */
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

const current = (kernel: Kernel, n: number): number[] => Array.from((kernel.modified ? kernel.values : kernel.logits).subarray(0, n));

describe.runIf(wasm !== null)('WebAssembly and TypeScript kernels', () => {
  it('agree on scan, argmax, counts, gathers, the k-th equal value and the radix sort', () => {
    fc.assert(
      fc.property(rowArbitrary, fc.float({ min: -40, max: 40, noNaN: true }), fc.integer({ min: 1, max: 5 }), (row, t, k) => {
        const threshold = Math.fround(t);
        const [a, b] = both(row, (kernel, n) => {
          const finite = kernel.scan(n);
          const r = kernel.results;
          const scanned = [r[R_MAX], r[R_MIN], r[R_NAN]];
          const argmax = kernel.argmax(n);
          kernel.args[0] = threshold;
          kernel.args[1] = k * 50;
          const count = kernel.countAtLeast(n);
          const gathered = kernel.gather(n, n);
          kernel.sortIds(gathered);
          const ids = Array.from(kernel.ids.subarray(0, gathered));
          const capped = kernel.gather(n, 3);
          kernel.args[0] = row[0] as number;
          kernel.args[1] = k;
          const kth = kernel.kthEqual(n);
          return { finite, scanned, argmax, count, ids, capped, kth };
        });
        expect(b).toEqual(a);
      }),
      { numRuns: 300 },
    );
  });

  it('agree on temperature, cuts, weights, probabilities and float32 sums', () => {
    fc.assert(
      fc.property(rowArbitrary, fc.constantFrom(1, 2, 3), fc.constantFrom(0.3, 0.5, 1.5, 7.3), fc.float({ min: -30, max: 30, noNaN: true }), fc.integer({ min: -1, max: 800 }), (row, mode, t, cutValue, cutId) => {
        const [a, b] = both(row, (kernel, n) => {
          kernel.args[0] = mode === 3 ? Math.fround(t) : mode === 1 ? 0.5 : 1 / t;
          kernel.args[1] = mode === 1 ? 0.5 : 1 / t;
          kernel.scale(n, mode);
          const scaled = current(kernel, n);
          const finite = kernel.scan(n);
          const max = kernel.results[R_MAX] as number;
          if (finite === 0) return { scaled };
          kernel.args[0] = max;
          kernel.weights(n, true);
          const w = Array.from(kernel.w.subarray(0, n));
          const totals = [kernel.results[R_TOTAL], kernel.results[R_MOMENT]];
          kernel.args[0] = 0;
          kernel.args[1] = -Infinity;
          kernel.args[2] = Math.fround(cutValue);
          kernel.exactBins(n);
          const bins = Array.from(kernel.bins.subarray(0, BIN_COUNT));
          kernel.args.set([Math.fround(cutValue), cutId, Infinity, 0x7fffffff]);
          const kept = kernel.cut(n);
          const cut = current(kernel, n);
          const wCut = Array.from(kernel.w.subarray(0, n));
          kernel.args[0] = 1 / 3;
          kernel.writeProbabilities(n);
          const probabilities = Array.from(kernel.w.subarray(0, n));
          kernel.args[0] = max;
          kernel.expfWeights(n);
          const e = Array.from(kernel.w.subarray(0, n));
          kernel.sums(n, true);
          const sum32 = kernel.results[R_SUM] as number;
          kernel.sums(n, false);
          const sum64 = kernel.results[R_SUM] as number;
          kernel.args[0] = Math.fround(sum32 / Math.max(kept, 1));
          kernel.squares(n, true);
          const squares32 = kernel.results[R_SQUARES] as number;
          kernel.args[0] = sum64 / Math.max(kept, 1);
          kernel.squares(n, false);
          return { scaled, w, totals: totals.map((x) => Number((x as number).toPrecision(9))), bins, kept, cut, wCut, probabilities, e, sum32: kernel.results[R_SUM32], sums: [sum32, sum64, squares32, kernel.results[R_SQUARES]] };
        });
        expect(b).toEqual(a);
      }),
      { numRuns: 200 },
    );
  });

  it('agree on the distinct values, their slots and sums over them', () => {
    fc.assert(
      fc.property(rowArbitrary, fc.integer({ min: 1, max: 50 }), (row, limit) => {
        const [a, b] = both(row, (kernel, n) => {
          const found = kernel.distinct(n, limit);
          if (found < 0) return { found };
          const groups: Record<string, number> = {};
          for (let slot = 0; slot < TABLE_SIZE; slot++) if ((kernel.tableCounts[slot] as number) > 0) groups[String(kernel.tableKeys[slot])] = kernel.tableCounts[slot] as number;
          // Every live token's slot holds its value; every slot gets a value to sum.
          const x = current(kernel, n);
          for (let i = 0; i < n; i++) {
            const slot = kernel.slots[i] as number;
            if (x[i] === -Infinity) expect(slot).toBe(TABLE_SIZE);
            else expect(keyFloat(floatKey(new Float32Array(new Uint32Array([kernel.tableKeys[slot] as number]).buffer)[0] as number))).toBe((x[i] as number) === 0 ? 0 : x[i]);
          }
          for (let slot = 0; slot < TABLE_SIZE; slot++) kernel.slotValues[slot] = Math.fround(1 / (1 + (kernel.tableKeys[slot] as number) % 97));
          kernel.slotSum32(n);
          return { found, groups, sum: kernel.results[R_SUM32] };
        });
        expect(b).toEqual(a);
      }),
      { numRuns: 200 },
    );
  });

  it('agree on brackets of weight bits, histograms and block sums', () => {
    fc.assert(
      fc.property(rowArbitrary, fc.integer({ min: 0x30000000, max: 0x3f800000 }), (row, lo) => {
        const [a, b] = both(row, (kernel, n) => {
          if (kernel.scan(n) === 0) return 'invalid row';
          kernel.args[0] = kernel.results[R_MAX] as number;
          kernel.weights(n, false);
          kernel.args.set([0, 1, NaN, -7]);
          const count = kernel.bracket(n, lo, lo + 0x800000, n);
          const ids = Array.from(kernel.ids.subarray(0, Math.max(count, 0)));
          const above = Number((kernel.results[R_ABOVE] as number).toPrecision(9));
          const heavy = [kernel.aboveCount, ...Array.from(kernel.heavyCounts)];
          kernel.histogram(n);
          const counts = Array.from(kernel.counts).filter((c) => c > 0);
          kernel.args.set([-20, -5, 2.5, 20, 1, NaN, NaN, -7]);
          const banded = kernel.band(n, n);
          const bandIds = Array.from(kernel.ids.subarray(0, Math.max(banded, 0)));
          const inner = [Number((kernel.results[R_ABOVE] as number).toPrecision(9)), kernel.aboveCount, Array.from(kernel.heavyCounts)];
          const blocks = kernel.blockSums(n, 3);
          const sums = Array.from(kernel.blocks.subarray(0, blocks), (x) => Number(x.toPrecision(9)));
          return { count, ids, above, heavy, counts, sums, banded, bandIds, inner };
        });
        expect(b).toEqual(a);
      }),
      { numRuns: 200 },
    );
  });

  it('compute expf as src/core/expf.ts does, on a sweep of float32 inputs', () => {
    const kernel = wasm as Kernel;
    const n = 1 << 16;
    kernel.reserve(n);
    let compared = 0;
    for (let start = floatKey(-105); start < floatKey(0); start += n * 61) {
      for (let i = 0; i < n; i++) kernel.logits[i] = keyFloat(Math.min(start + i * 61, floatKey(0)));
      kernel.begin(n);
      kernel.args[0] = 0;
      kernel.expfWeights(n);
      for (let i = 0; i < n; i += 7) {
        if (kernel.w[i] !== expf(kernel.logits[i] as number)) throw new Error(`expf differs at ${kernel.logits[i]}`);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(100_000);
    expect(exp32(0)).toBe(1);
  });
});
