import { HISTOGRAM_KEYS, floorFloat32, padded, type Kernel } from './kernel.js';
import { WASM_BASE64 } from './wasmBinary.js';

/** The exports of kernel.as (addresses are byte offsets into the module's memory). */
interface Exports {
  readonly memory: WebAssembly.Memory;
  setup(): void;
  scan(x: number, n: number): number;
  argmax(x: number, n: number): number;
  firstAtLeast(x: number, n: number): number;
  countAtLeast(x: number, n: number): number;
  gather(x: number, n: number, out: number, cap: number): number;
  gatherTail(x: number, n: number, out: number, cap: number): number;
  gatherTailOpen(x: number, n: number, out: number, cap: number): number;
  gatherTailCheap(x: number, n: number, out: number, cap: number): number;
  gatherTailOpenCheap(x: number, n: number, out: number, cap: number): number;
  weights(x: number, n: number, mode: number, w: number): void;
  histogram(w: number, n: number, counts: number, masses: number, nb: number): void;
  gatherBits(w: number, n: number, lo: number, hi: number, out: number, cap: number): number;
  blockSums(w: number, x: number, n: number, shift: number, out: number): number;
  bracket(w: number, n: number, lo: number, hi: number, out: number, cap: number): number;
}

const RES = 512;
const RESI = 640;
const PARAM = 768;
const BASE = 2048;
const PAGE = 65536;

let module: WebAssembly.Module | null | undefined;

/**
 * The compiled kernel module, or null where WebAssembly or its SIMD instructions are
 * unavailable (the module fails to validate there). Compiled once, synchronously (the
 * module is a few kilobytes), from the bytes embedded in `wasmBinary.ts`.
 */
export function wasmKernelModule(): WebAssembly.Module | null {
  if (module !== undefined) return module;
  try {
    if (typeof WebAssembly !== 'object') return (module = null);
    const bytes = decodeBase64(WASM_BASE64);
    module = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    module = null;
  }
  return module;
}

/**
 * The WebAssembly SIMD kernel (see `Kernel`). One instance per sampler: it owns a
 * WebAssembly memory laid out as constants, results, then `logits`, `w`, `ids`, `blocks`,
 * `counts`, `masses`, grown once per vocabulary size.
 *
 * `gatherTail` uses a degree-3 polynomial for 2^f (relative error 1.0e-4) on float32
 * arguments, or with args[5] = 0 a degree-2 one (2.0e-3); with the rounding of
 * (x - top)·scale·log2 e over |·| ≤ 90 (2e-5) and the float32 partial sums (1e-6) the
 * bounds are 1.5e-4 and 2.2e-3.
 * `args` is a view of the module's parameter slots, so parameters are read in place.
 *
 * @example
 * const k = createWasmKernel(); // null without WebAssembly SIMD
 * k?.reserve(3); k?.load([1, 3, 2], 0, 3); k?.argmax(3); // 1
 */
export class WasmKernel implements Kernel {
  readonly kind = 'wasm';
  capacity = 0;
  logits = new Float32Array(0);
  w = new Float32Array(0);
  ids = new Int32Array(0);
  blocks = new Float64Array(0);
  counts = new Int32Array(0);
  masses = new Float64Array(0);
  max = 0;
  nan = false;
  gathered = 0;
  above = 0.5;
  aboveCount = 0;
  tail = 0;
  total = 0;
  readonly tailError = 1.5e-4;
  readonly tailErrorCheap = 2.2e-3;
  private readonly exports: Exports;
  private results = new Float64Array(0);
  private flags = new Int32Array(0);
  args = new Float64Array(0);
  private x = 0;
  private wPtr = 0;
  private idsPtr = 0;
  private blocksPtr = 0;
  private countsPtr = 0;
  private massesPtr = 0;

  constructor(compiled: WebAssembly.Module) {
    const instance = new WebAssembly.Instance(compiled, { env: { abort: abortKernel } });
    this.exports = instance.exports as unknown as Exports;
    this.exports.setup();
    this.views();
  }

  reserve(n: number): void {
    if (n <= this.capacity) return;
    const size = padded(n);
    const blocks = (size >> 8) + 2;
    let at = BASE;
    this.x = at;
    at += size * 4;
    this.wPtr = at;
    at += size * 4;
    this.idsPtr = at;
    at += size * 4 + 64; // spare entries for the packed 4-lane stores
    this.blocksPtr = at;
    at += blocks * 8;
    this.countsPtr = at;
    at += HISTOGRAM_KEYS * 4;
    this.massesPtr = at;
    at += HISTOGRAM_KEYS * 8;
    const memory = this.exports.memory;
    const needed = Math.ceil(at / PAGE) - memory.buffer.byteLength / PAGE;
    if (needed > 0) memory.grow(needed);
    this.capacity = size;
    this.views();
    this.w.fill(0);
  }

  private views(): void {
    const buffer = this.exports.memory.buffer;
    const size = this.capacity;
    this.results = new Float64Array(buffer, RES, 16);
    this.flags = new Int32Array(buffer, RESI, 16);
    this.args = new Float64Array(buffer, PARAM, 8);
    this.logits = new Float32Array(buffer, this.x, size);
    this.w = new Float32Array(buffer, this.wPtr, size);
    this.ids = new Int32Array(buffer, this.idsPtr, size);
    this.blocks = new Float64Array(buffer, this.blocksPtr, size === 0 ? 0 : (size >> 8) + 2);
    this.counts = new Int32Array(buffer, this.countsPtr, size === 0 ? 0 : HISTOGRAM_KEYS);
    this.masses = new Float64Array(buffer, this.massesPtr, size === 0 ? 0 : HISTOGRAM_KEYS);
  }

  load(source: ArrayLike<number>, offset: number, n: number): void {
    const logits = this.logits;
    if (offset === 0 && source instanceof Float32Array && source.length === n) logits.set(source);
    else for (let i = 0; i < n; i++) logits[i] = source[offset + i] as number;
    const end = padded(n);
    for (let i = n; i < end; i++) logits[i] = -Infinity;
  }

  scan(n: number): number {
    const count = this.exports.scan(this.x, padded(n));
    this.max = this.results[0] as number;
    this.nan = this.flags[0] !== 0;
    return count;
  }

  scanGather(n: number, cap: number): number {
    const count = this.scan(n);
    const args = this.args;
    if (this.max === -Infinity) {
      args[1] = -Infinity;
      this.gathered = 0; // nothing live (the row is invalid)
      return count;
    }
    const threshold = floorFloat32(this.max - (args[0] as number));
    args[1] = threshold;
    args[0] = threshold;
    this.gathered = this.exports.gather(this.x, padded(n), this.idsPtr, cap);
    return count;
  }

  argmax(n: number): number {
    const index = this.exports.argmax(this.x, padded(n));
    this.max = this.results[0] as number;
    this.nan = this.flags[0] !== 0;
    return index;
  }

  firstAtLeast(n: number): number {
    const index = this.exports.firstAtLeast(this.x, padded(n));
    return index >= n ? -1 : index;
  }

  countAtLeast(n: number): number {
    return this.exports.countAtLeast(this.x, padded(n));
  }

  gather(n: number, cap: number): number {
    return this.exports.gather(this.x, padded(n), this.idsPtr, cap);
  }

  gatherTail(n: number, cap: number): number {
    // args[4] = 1: lo is only the span limit (nothing dead above it), so the cheaper pass
    // that clamps instead of masking gives the same sum.
    const e = this.exports;
    const open = this.args[4] === 1;
    const count =
      this.args[5] === 1
        ? (open ? e.gatherTailOpen : e.gatherTail)(this.x, padded(n), this.idsPtr, cap)
        : (open ? e.gatherTailOpenCheap : e.gatherTailCheap)(this.x, padded(n), this.idsPtr, cap);
    this.tail = this.results[1] as number;
    return count;
  }

  weights(n: number, mode: number): void {
    this.exports.weights(this.x, padded(n), mode, this.wPtr);
    this.total = this.results[2] as number;
  }

  histogram(n: number): void {
    this.exports.histogram(this.wPtr, padded(n), this.countsPtr, this.massesPtr, HISTOGRAM_KEYS);
  }

  gatherBits(n: number, lo: number, hi: number, cap: number): number {
    return this.exports.gatherBits(this.wPtr, padded(n), lo, hi, this.idsPtr, cap);
  }

  bracket(n: number, lo: number, hi: number, cap: number): number {
    const count = this.exports.bracket(this.wPtr, padded(n), lo, hi, this.idsPtr, cap);
    this.above = this.results[3] as number;
    this.aboveCount = this.flags[1] as number;
    return count;
  }

  blockSums(n: number, shift: number): number {
    return this.exports.blockSums(this.wPtr, this.x, padded(n), shift, this.blocksPtr);
  }
}

/** A WebAssembly SIMD kernel, or null where unavailable. */
export function createWasmKernel(): WasmKernel | null {
  const compiled = wasmKernelModule();
  return compiled ? new WasmKernel(compiled) : null;
}

function abortKernel(): never {
  throw new Error('creativity-knobs: the WebAssembly kernel aborted');
}

/** Decodes base64 without Buffer or atob (both absent in some runtimes). */
function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const lookup = new Uint8Array(128);
  for (let i = 0; i < alphabet.length; i++) lookup[alphabet.charCodeAt(i)] = i;
  let length = text.length;
  while (length > 0 && text[length - 1] === '=') length--;
  const out = new Uint8Array((length * 3) >> 2);
  let bits = 0;
  let value = 0;
  let at = 0;
  for (let i = 0; i < length; i++) {
    value = (value << 6) | (lookup[text.charCodeAt(i)] as number);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (value >> bits) & 255;
    }
  }
  return out;
}
