import { exp32 } from '../core/exp.js';
import { HISTOGRAM_KEYS, floorFloat32, padded, type Kernel } from './kernel.js';

/** Steps per unit of the tail table: chords over 1/128 overestimate e^-d by at most h²/8. */
const TABLE_STEPS = 128;
const TABLE_SPAN = 91;
/** TAIL[j] = e^{-j / TABLE_STEPS}; SLOPE[j] = TAIL[j + 1] - TAIL[j]. */
const TAIL = new Float64Array(TABLE_SPAN * TABLE_STEPS + 2);
const SLOPE = new Float64Array(TABLE_SPAN * TABLE_STEPS + 1);
for (let j = 0; j < TAIL.length; j++) TAIL[j] = Math.exp(-j / TABLE_STEPS);
for (let j = 0; j < SLOPE.length; j++) SLOPE[j] = (TAIL[j + 1] as number) - (TAIL[j] as number);

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/**
 * The pure TypeScript kernel: the same passes as the WebAssembly one, scalar. Used where
 * WebAssembly SIMD is unavailable, and as the reference the WebAssembly kernel is tested
 * against.
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
  w = new Float32Array(0);
  ids = new Int32Array(0);
  blocks = new Float64Array(0);
  readonly counts = new Int32Array(HISTOGRAM_KEYS);
  readonly masses = new Float64Array(HISTOGRAM_KEYS);
  readonly args = new Float64Array(8);
  max = 0;
  nan = false;
  gathered = 0;
  above = 0.5;
  aboveCount = 0;
  tail = 0;
  total = 0;
  readonly tailError = 1e-5;
  readonly tailErrorCheap = 1e-5;

  reserve(n: number): void {
    if (n <= this.capacity) return;
    const size = padded(n);
    this.capacity = size;
    this.logits = new Float32Array(size);
    this.w = new Float32Array(size);
    this.ids = new Int32Array(size);
    this.blocks = new Float64Array((size >> 8) + 2);
  }

  load(source: ArrayLike<number>, offset: number, n: number): void {
    const logits = this.logits;
    if (offset === 0 && source instanceof Float32Array && source.length === n) logits.set(source);
    else for (let i = 0; i < n; i++) logits[i] = source[offset + i] as number;
    const end = padded(n);
    for (let i = n; i < end; i++) logits[i] = -Infinity;
  }

  scan(n: number): number {
    const x = this.logits;
    // The running sum exposes NaN and +Infinity (and -Infinity) without a branch per value.
    let max = -Infinity;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      sum += v;
      if (v > max) max = v;
    }
    this.max = max;
    this.nan = false;
    if (sum === sum && sum !== Infinity && sum !== -Infinity) return n;
    let dead = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      if (v !== v) this.nan = true;
      else if (v === -Infinity) dead++;
    }
    return n - dead - (this.nan ? countNaN(x, n) : 0);
  }

  scanGather(n: number, cap: number): number {
    const x = this.logits;
    const ids = this.ids;
    const gap = this.args[0] as number;
    // One pass: the threshold follows the running maximum (it only rises), then the list is
    // filtered with the final one.
    let max = -Infinity;
    let threshold = -Infinity;
    let sum = 0;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      sum += v;
      if (v >= threshold) {
        if (v > max) {
          max = v;
          threshold = floorFloat32(max - gap);
        }
        if (count < cap) ids[count] = i;
        count++;
      }
    }
    this.max = max;
    this.args[1] = threshold;
    if (max === -Infinity) count = 0; // nothing live (the row is invalid)
    let kept = 0;
    if (count <= cap) {
      for (let j = 0; j < count; j++) {
        const id = ids[j] as number;
        if ((x[id] as number) >= threshold) ids[kept++] = id;
      }
    } else {
      // Too many early candidates: gather again with the final threshold.
      kept = -1;
      let again = 0;
      for (let i = 0; i < n; i++) {
        if ((x[i] as number) >= threshold) {
          if (again === cap) {
            again = -1;
            break;
          }
          ids[again++] = i;
        }
      }
      kept = again;
    }
    this.gathered = kept;
    this.nan = false;
    if (sum === sum && sum !== Infinity && sum !== -Infinity) return n;
    return this.scan(n);
  }

  argmax(n: number): number {
    const x = this.logits;
    let max = -Infinity;
    let best = -1;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      sum += v;
      if (v > max) {
        max = v;
        best = i;
      }
    }
    this.max = max;
    this.nan = sum !== sum && countNaN(x, n) > 0;
    if (best >= 0) return best;
    this.args[0] = max;
    return this.firstAtLeast(n);
  }

  firstAtLeast(n: number): number {
    const t = this.args[0] as number;
    const x = this.logits;
    for (let i = 0; i < n; i++) if ((x[i] as number) >= t) return i;
    return -1;
  }

  countAtLeast(n: number): number {
    const t = this.args[0] as number;
    const x = this.logits;
    let count = 0;
    for (let i = 0; i < n; i++) if ((x[i] as number) >= t) count++;
    return count;
  }

  gather(n: number, cap: number): number {
    const t = this.args[0] as number;
    const x = this.logits;
    const ids = this.ids;
    let count = 0;
    for (let i = 0; i < n; i++) {
      if ((x[i] as number) >= t) {
        if (count >= cap) return -1;
        ids[count++] = i;
      }
    }
    return count;
  }

  gatherTail(n: number, cap: number): number {
    const args = this.args;
    const lo = args[0] as number;
    const hi = args[1] as number;
    const top = args[2] as number;
    const scale = args[3] as number;
    const x = this.logits;
    const ids = this.ids;
    const steps = scale * TABLE_STEPS;
    let count = 0;
    let tail = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      if (v >= lo) {
        if (v >= hi) {
          if (count >= cap) return -1;
          ids[count++] = i;
        } else {
          const u = (top - v) * steps;
          const j = u | 0;
          tail += (TAIL[j] as number) + (u - j) * (SLOPE[j] as number);
        }
      }
    }
    this.tail = tail;
    return count;
  }

  weights(n: number, mode: number): void {
    const args = this.args;
    const lo = args[0] as number;
    const top = args[1] as number;
    const d = args[2] as number;
    const x = this.logits;
    const w = this.w;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      if (v >= lo) {
        const e = exp32((mode === 3 ? Math.fround(v / d) : mode === 0 ? v : Math.fround(v * d)) - top);
        w[i] = e;
        total += e;
      } else w[i] = 0;
    }
    const end = padded(n);
    for (let i = n; i < end; i++) w[i] = 0;
    this.total = total;
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

  gatherBits(n: number, lo: number, hi: number, cap: number): number {
    const w = this.w;
    const ids = this.ids;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const e = w[i] as number;
      if (e > 0 || lo <= 0) {
        const bits = floatBits(e);
        if (bits >= lo && bits < hi) {
          if (count >= cap) return -1;
          ids[count++] = i;
        }
      }
    }
    return count;
  }

  bracket(n: number, lo: number, hi: number, cap: number): number {
    const w = this.w;
    const ids = this.ids;
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
        if (count >= cap) return -1;
        ids[count++] = i;
      }
    }
    this.above = above;
    this.aboveCount = aboveCount;
    return count;
  }

  blockSums(n: number, shift: number): number {
    const t = this.args[0] as number;
    const w = this.w;
    const x = this.logits;
    const blocks = this.blocks;
    const size = 1 << shift;
    let block = 0;
    for (let start = 0; start < n; start += size) {
      const end = Math.min(n, start + size);
      let sum = 0;
      for (let i = start; i < end; i++) if ((x[i] as number) >= t) sum += w[i] as number;
      blocks[block++] = sum;
    }
    return block;
  }
}

/** The float32 transform of one temperature stage (see `Kernel.weights`). */
export function scaleValue(v: number, mode: number, d: number): number {
  if (mode === 1 || mode === 2) return Math.fround(v * d);
  if (mode === 3) return Math.fround(v / d);
  return v;
}

/** The float32 bit pattern of `value` (rounded to float32 first), as an unsigned integer. */
export function floatBits(value: number): number {
  F32[0] = value;
  return U32[0] as number;
}

function countNaN(x: Float32Array, n: number): number {
  let count = 0;
  for (let i = 0; i < n; i++) if (x[i] !== x[i]) count++;
  return count;
}
