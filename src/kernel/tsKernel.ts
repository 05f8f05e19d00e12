import { exp32 } from '../core/exp.js';
import { expf } from '../core/expf.js';
import { floatBits } from '../core/float32.js';
import { BIN_COUNT, HISTOGRAM_KEYS, R_ABOVE, R_MAX, R_MIN, R_MOMENT, R_NAN, R_SQUARES, R_SUM, R_SUM32, R_TAIL, R_TOTAL, TABLE_SIZE, padded, tableHash, type Kernel } from './kernel.js';

/** Steps per unit of the tail table: chords over 1/128 overestimate e^-d by at most h²/8. */
const TABLE_STEPS = 128;
const TABLE_SPAN = 91;
/** TAIL[j] = e^{-j / TABLE_STEPS}; SLOPE[j] = TAIL[j + 1] - TAIL[j]. */
const TAIL = new Float64Array(TABLE_SPAN * TABLE_STEPS + 2);
const SLOPE = new Float64Array(TABLE_SPAN * TABLE_STEPS + 1);
for (let j = 0; j < TAIL.length; j++) TAIL[j] = Math.exp(-j / TABLE_STEPS);
for (let j = 0; j < SLOPE.length; j++) SLOPE[j] = (TAIL[j + 1] as number) - (TAIL[j] as number);
const TAIL_LIMIT = TABLE_SPAN * TABLE_STEPS - 1;

/**
 * The pure TypeScript kernel: the same passes as the WebAssembly one, scalar. Used where
 * WebAssembly SIMD is unavailable, and as the twin the WebAssembly kernel is tested against.
 *
 * `gatherTail` approximates e^-d by the chord of a table of e^{-j/128}: never below e^-d,
 * at most (1/128)²/8 ≈ 7.7e-6 above it.
 *
 * @example
 * const k = new TsKernel(); k.reserve(3); k.load([1, 3, 2], 0, 3); k.argmax(3); // 1
 */
export class TsKernel implements Kernel {
  readonly kind = 'ts';
  capacity = 0;
  logits = new Float32Array(0);
  values = new Float32Array(0);
  modified = false;
  w = new Float32Array(0);
  ids = new Int32Array(0);
  slots = new Uint16Array(0);
  readonly tableKeys = new Uint32Array(TABLE_SIZE);
  readonly tableCounts = new Int32Array(TABLE_SIZE);
  readonly slotValues = new Float32Array(TABLE_SIZE + 1);
  readonly slotValues64 = new Float64Array(TABLE_SIZE + 1);
  readonly slotFlags = new Uint8Array(TABLE_SIZE + 1);
  blocks = new Float64Array(0);
  readonly bins = new Float64Array(BIN_COUNT);
  readonly counts = new Int32Array(HISTOGRAM_KEYS);
  readonly masses = new Float64Array(HISTOGRAM_KEYS);
  readonly args = new Float64Array(8);
  readonly results = new Float64Array(16);
  readonly tailError = 1e-5;
  aboveCount = 0;
  readonly heavyCounts = new Int32Array(4);
  private sortKeys = new Uint32Array(0);
  private sortScratch = new Uint32Array(0);
  private sortIdsScratch = new Int32Array(0);
  private readonly radixCounts = new Int32Array(2048);

  reserve(n: number): void {
    if (n <= this.capacity) return;
    const size = padded(n);
    this.capacity = size;
    this.logits = new Float32Array(size);
    this.values = new Float32Array(size);
    this.w = new Float32Array(size);
    this.ids = new Int32Array(size + 4);
    this.slots = new Uint16Array(size);
    this.blocks = new Float64Array((size >> 8) + 2);
    this.sortKeys = new Uint32Array(size);
    this.sortScratch = new Uint32Array(size);
    this.sortIdsScratch = new Int32Array(size);
  }

  load(source: ArrayLike<number>, offset: number, n: number): void {
    const logits = this.logits;
    if (offset === 0 && source instanceof Float32Array && source.length === n) logits.set(source);
    else for (let i = 0; i < n; i++) logits[i] = source[offset + i] as number;
    this.begin(n);
  }

  begin(n: number): void {
    this.logits.fill(-Infinity, n, padded(n));
    this.modified = false;
  }

  private current(): Float32Array {
    return this.modified ? this.values : this.logits;
  }

  scan(n: number): number {
    const x = this.current();
    let max = -Infinity;
    let min = Infinity;
    let count = 0;
    let bad = false;
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      if (v > max) max = v;
      if (v > -Infinity) {
        count++;
        if (v < min) min = v;
      }
      if (v !== v || v === Infinity) bad = true;
    }
    const r = this.results;
    r[R_MAX] = max;
    r[R_MIN] = min;
    r[R_NAN] = bad ? 1 : 0;
    return bad ? count - countBad(x, n) : count;
  }

  argmax(n: number): number {
    const x = this.current();
    let max = -Infinity;
    let best = -1;
    let bad = false;
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      if (v > max) {
        max = v;
        best = i;
      }
      if (v !== v || v === Infinity) bad = true;
    }
    this.results[R_MAX] = max;
    this.results[R_NAN] = bad ? 1 : 0;
    return best >= 0 ? best : 0;
  }

  scale(n: number, mode: number): void {
    const x = this.current();
    const out = this.values;
    const s = this.args[0] as number;
    const d = this.args[1] as number;
    const end = padded(n);
    for (let i = 0; i < end; i++) {
      const v = x[i] as number;
      out[i] = mode === 3 ? v / s : mode === 2 ? v * d : v * s;
    }
    this.modified = true;
  }

  cut(n: number): number {
    const x = this.current();
    const out = this.values;
    const w = this.w;
    const args = this.args;
    const loV = args[0] as number;
    const loId = args[1] as number;
    const hiV = args[2] as number;
    const hiId = args[3] as number;
    let kept = 0;
    const end = padded(n);
    for (let i = 0; i < end; i++) {
      const v = x[i] as number;
      if ((v > loV || (v === loV && i <= loId)) && (v < hiV || (v === hiV && i <= hiId)) && v > -Infinity) {
        out[i] = v;
        kept++;
      } else {
        out[i] = -Infinity;
        w[i] = 0;
      }
    }
    this.modified = true;
    return kept;
  }

  cutSlots(n: number): number {
    const x = this.current();
    const out = this.values;
    const w = this.w;
    const slots = this.slots;
    const flags = this.slotFlags;
    const limit = this.args[0] as number;
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      const flag = flags[slots[i] as number] as number;
      if (v > -Infinity && (flag === 1 || (flag === 2 && i <= limit))) {
        out[i] = v;
        kept++;
      } else {
        out[i] = -Infinity;
        w[i] = 0;
      }
    }
    const end = padded(n);
    for (let i = n; i < end; i++) out[i] = -Infinity;
    this.modified = true;
    return kept;
  }

  countAtLeast(n: number): number {
    const t = this.args[0] as number;
    const x = this.current();
    let count = 0;
    for (let i = 0; i < n; i++) if ((x[i] as number) >= t) count++;
    return count;
  }

  gather(n: number, cap: number): number {
    const t = this.args[0] as number;
    const last = this.args[1] as number;
    const x = this.current();
    const ids = this.ids;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      if (v > t || (v === t && i <= last)) {
        if (count >= cap) return -1;
        ids[count++] = i;
      }
    }
    return count;
  }

  gatherTail(n: number, cap: number): number {
    const hi = this.args[0] as number;
    const top = this.args[1] as number;
    const x = this.current();
    const ids = this.ids;
    let count = 0;
    let tail = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      if (v >= hi) {
        if (count >= cap) return -1;
        ids[count++] = i;
      } else {
        const u = (top - v) * TABLE_STEPS;
        if (u < TAIL_LIMIT) {
          const j = u | 0;
          tail += (TAIL[j] as number) + (u - j) * (SLOPE[j] as number);
        }
      }
    }
    this.results[R_TAIL] = tail;
    return count;
  }

  weights(n: number, moment: boolean): void {
    const top = this.args[0] as number;
    const x = this.current();
    const w = this.w;
    let total = 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      const e = exp32(v - top);
      w[i] = e;
      total += e;
      if (moment && e > 0) sum += e * v;
    }
    const end = padded(n);
    for (let i = n; i < end; i++) w[i] = 0;
    this.results[R_TOTAL] = total;
    this.results[R_MOMENT] = sum;
  }

  expfWeights(n: number): void {
    const top = this.args[0] as number;
    const x = this.current();
    const w = this.w;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const e = expf((x[i] as number) - top);
      w[i] = e;
      sum = Math.fround(sum + e);
    }
    const end = padded(n);
    for (let i = n; i < end; i++) w[i] = 0;
    this.results[R_SUM32] = sum;
  }

  distinct(n: number, limit: number): number {
    const x = this.current();
    const keys = this.tableKeys;
    const counts = this.tableCounts;
    const slots = this.slots;
    counts.fill(0);
    let found = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      if (v === -Infinity) {
        slots[i] = TABLE_SIZE;
        continue;
      }
      const bits = v === 0 ? 0 : floatBits(v); // -0 and +0 are one value
      let h = tableHash(bits);
      while ((counts[h] as number) > 0 && keys[h] !== bits) h = (h + 1) & (TABLE_SIZE - 1);
      if (counts[h] === 0) {
        if (++found > limit) return -1;
        keys[h] = bits;
      }
      counts[h] = (counts[h] as number) + 1;
      slots[i] = h;
    }
    return found;
  }

  slotSum32(n: number): void {
    const x = this.current();
    const slots = this.slots;
    const values = this.slotValues;
    let sum = 0;
    for (let i = 0; i < n; i++) if ((x[i] as number) > -Infinity) sum = Math.fround(sum + (values[slots[i] as number] as number));
    this.results[R_SUM32] = sum;
  }

  slotSum64(n: number): void {
    const x = this.current();
    const slots = this.slots;
    const values = this.slotValues64;
    let sum = 0;
    for (let i = 0; i < n; i++) if ((x[i] as number) > -Infinity) sum += values[slots[i] as number] as number;
    this.results[R_SUM] = sum;
  }

  sums(n: number, float32: boolean): void {
    const x = this.current();
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      if (v > -Infinity) sum = float32 ? Math.fround(sum + v) : sum + v;
    }
    this.results[R_SUM] = sum;
  }

  squares(n: number, float32: boolean): void {
    const x = this.current();
    const mean = this.args[0] as number;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      if (v === -Infinity) continue;
      if (float32) {
        const d = Math.fround(v - mean);
        sum = Math.fround(sum + d * d);
      } else {
        const d = v - mean;
        sum += d * d;
      }
    }
    this.results[R_SQUARES] = sum;
  }

  kthEqual(n: number): number {
    const value = this.args[0] as number;
    let k = this.args[1] as number;
    const x = this.current();
    for (let i = 0; i < n; i++) if (x[i] === value && --k === 0) return i;
    return -1;
  }

  blockSums(n: number, shift: number): number {
    const w = this.w;
    const x = this.current();
    const blocks = this.blocks;
    const loV = this.args[0] as number;
    const loId = this.args[1] as number;
    const size = 1 << shift;
    let block = 0;
    for (let start = 0; start < n; start += size) {
      const end = Math.min(n, start + size);
      let sum = 0;
      for (let i = start; i < end; i++) {
        const v = x[i] as number;
        if (v > -Infinity && (v > loV || (v === loV && i <= loId))) sum += w[i] as number;
      }
      blocks[block++] = sum;
    }
    return block;
  }

  exactBins(n: number): void {
    const w = this.w;
    const x = this.current();
    const bins = this.bins;
    const lowest = this.args[0] as number;
    const below = this.args[1] as number;
    const above = this.args[2] as number;
    bins.fill(0);
    for (let i = 0; i < n; i++) {
      const e = w[i] as number;
      const v = x[i] as number;
      if (e > 0 && v > -Infinity && v > below && v < above) {
        const bits = floatBits(e);
        if (bits >= lowest) bins[bits >>> 23] = (bins[bits >>> 23] as number) + e;
      }
    }
  }

  histogram(n: number): void {
    const w = this.w;
    const counts = this.counts;
    const masses = this.masses;
    counts.fill(0);
    masses.fill(0);
    for (let i = 0; i < n; i++) {
      const e = w[i] as number;
      if (e > 0) {
        const key = floatBits(e) >>> 16;
        counts[key] = (counts[key] as number) + 1;
        masses[key] = (masses[key] as number) + e;
      }
    }
  }

  bracket(n: number, lo: number, hi: number, cap: number): number {
    const w = this.w;
    const x = this.current();
    const ids = this.ids;
    const args = this.args;
    const h0 = args[0] as number;
    const h1 = args[1] as number;
    const h2 = args[2] as number;
    const h3 = args[3] as number;
    const heavy = this.heavyCounts;
    heavy.fill(0);
    let above = 0;
    let aboveCount = 0;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const e = w[i] as number;
      if (e <= 0) continue;
      const bits = floatBits(e);
      if (bits >= hi) {
        above += e;
        aboveCount++;
      } else if (bits >= lo) {
        const v = x[i] as number;
        if (v === h0) heavy[0] = (heavy[0] as number) + 1;
        else if (v === h1) heavy[1] = (heavy[1] as number) + 1;
        else if (v === h2) heavy[2] = (heavy[2] as number) + 1;
        else if (v === h3) heavy[3] = (heavy[3] as number) + 1;
        else {
          if (count >= cap) return -1;
          ids[count++] = i;
        }
      }
    }
    this.results[R_ABOVE] = above;
    this.aboveCount = aboveCount;
    return count;
  }

  band(n: number, cap: number): number {
    const w = this.w;
    const x = this.current();
    const ids = this.ids;
    const a = this.args;
    const a1 = a[0] as number;
    const a2 = a[1] as number;
    const b2 = a[2] as number;
    const b1 = a[3] as number;
    const heavy = this.heavyCounts;
    heavy.fill(0);
    let inside = 0;
    let insideCount = 0;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      if (v > a2 && v < b2) {
        inside += w[i] as number;
        insideCount++;
      } else if ((v >= a1 && v <= a2) || (v >= b2 && v <= b1)) {
        if (v === a[4]) heavy[0] = (heavy[0] as number) + 1;
        else if (v === a[5]) heavy[1] = (heavy[1] as number) + 1;
        else if (v === a[6]) heavy[2] = (heavy[2] as number) + 1;
        else if (v === a[7]) heavy[3] = (heavy[3] as number) + 1;
        else {
          if (count >= cap) return -1;
          ids[count++] = i;
        }
      }
    }
    this.results[R_ABOVE] = inside;
    this.aboveCount = insideCount;
    return count;
  }

  writeProbabilities(n: number): void {
    const w = this.w;
    const x = this.current();
    const inverse = this.args[0] as number;
    for (let i = 0; i < n; i++) w[i] = (x[i] as number) > -Infinity ? (w[i] as number) * inverse : 0;
  }

  sortIds(count: number): void {
    // LSD radix sort on 11-bit digits of the inverted order-preserving key (descending
    // values); stable, so the ascending ids stay in order among equal values.
    const ids = this.ids;
    const x = this.current();
    let keys = this.sortKeys;
    let keysOut = this.sortScratch;
    let idsIn = ids;
    let idsOut = this.sortIdsScratch;
    for (let i = 0; i < count; i++) {
      const bits = floatBits(x[ids[i] as number] as number);
      keys[i] = ~(bits >= 0x80000000 ? 0xffffffff - bits : bits + 0x80000000) >>> 0;
    }
    const counts = this.radixCounts;
    for (let shift = 0; shift < 32; shift += 11) {
      counts.fill(0);
      for (let i = 0; i < count; i++) {
        const digit = ((keys[i] as number) >>> shift) & 2047;
        counts[digit] = (counts[digit] as number) + 1;
      }
      let sum = 0;
      for (let d = 0; d < 2048; d++) {
        const c = counts[d] as number;
        counts[d] = sum;
        sum += c;
      }
      for (let i = 0; i < count; i++) {
        const key = keys[i] as number;
        const digit = (key >>> shift) & 2047;
        const at = counts[digit] as number;
        keysOut[at] = key;
        idsOut[at] = idsIn[i] as number;
        counts[digit] = at + 1;
      }
      const k = keys;
      keys = keysOut;
      keysOut = k;
      const t = idsIn;
      idsIn = idsOut;
      idsOut = t;
    }
    // Three passes: the result is in the scratch array.
    if (idsIn !== ids) for (let i = 0; i < count; i++) ids[i] = idsIn[i] as number;
  }
}

function countBad(x: Float32Array, n: number): number {
  let count = 0;
  for (let i = 0; i < n; i++) if (x[i] === Infinity) count++;
  return count;
}
