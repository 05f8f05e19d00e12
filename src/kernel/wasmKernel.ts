import { BIN_COUNT, HISTOGRAM_KEYS, TABLE_SIZE, padded, type Kernel } from './kernel.js';
import { WASM_BASE64 } from './wasmBinary.js';

/** The exports of kernel.as (addresses are byte offsets into the module's memory). */
interface Exports {
  readonly memory: WebAssembly.Memory;
  setup(): void;
  scan(x: number, n: number): number;
  argmax(x: number, n: number): number;
  scale(x: number, out: number, n: number, mode: number): void;
  cut(x: number, out: number, w: number, n: number): number;
  cutSlots(x: number, out: number, w: number, slots: number, flags: number, n: number, padded: number): number;
  countAtLeast(x: number, n: number): number;
  gather(x: number, n: number, out: number, cap: number): number;
  gatherTail(x: number, n: number, out: number, cap: number): number;
  weights(x: number, n: number, w: number, moment: number): void;
  expfWeights(x: number, n: number, w: number): void;
  distinct(x: number, n: number, keys: number, counts: number, slots: number, mask: number, limit: number): number;
  slotSum32(x: number, n: number, slots: number, values: number): void;
  slotSum64(x: number, n: number, slots: number, values: number): void;
  sums(x: number, n: number, float32: number): void;
  squares(x: number, n: number, float32: number): void;
  kthEqual(x: number, n: number): number;
  blockSums(w: number, x: number, n: number, shift: number, out: number): number;
  exactBins(w: number, x: number, n: number, bins: number): void;
  histogram(w: number, n: number, counts: number, masses: number, nb: number): void;
  bracket(w: number, x: number, n: number, lo: number, hi: number, out: number, cap: number): number;
  writeProbabilities(w: number, x: number, n: number): void;
  band(w: number, x: number, n: number, out: number, cap: number): number;
  sortIds(x: number, ids: number, count: number, a: number, b: number, counts: number): void;
}

const RES = 1024;
const RESI = 1152;
const PARAM = 1216;
const BASE = 2048;
const PAGE = 65536;
/** Spare entries after `ids` for the passes that store 4 indices at a time (up to 16 past the cap). */
const SPARE = 64;

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
 * The WebAssembly SIMD kernel (see `Kernel`). It owns a WebAssembly memory laid out as
 * constants, results and parameters, then `logits`, `values`, `w`, `ids`, `slots`, the
 * distinct-value table, `blocks`, `bins`, the histogram and the radix sort's scratch, grown
 * once per vocabulary size (every view is then re-made: fetch views again after `reserve`).
 *
 * `gatherTail` uses a degree-3 polynomial for 2^f (relative error 1.0e-4) on float32
 * arguments; with the rounding of (v − top)·log2 e over |·| ≤ 90 (2e-5) and the float32
 * partial sums (1e-6) its bound is 1.5e-4.
 *
 * @example
 * const k = createWasmKernel(); // null without WebAssembly SIMD
 * k?.reserve(3); k?.load([1, 3, 2], 0, 3); k?.argmax(3); // 1
 */
export class WasmKernel implements Kernel {
  readonly kind = 'wasm';
  capacity = 0;
  modified = false;
  logits = new Float32Array(0);
  values = new Float32Array(0);
  w = new Float32Array(0);
  ids = new Int32Array(0);
  slots = new Uint16Array(0);
  tableKeys = new Uint32Array(0);
  tableCounts = new Int32Array(0);
  slotValues = new Float32Array(0);
  slotValues64 = new Float64Array(0);
  slotFlags = new Uint8Array(0);
  blocks = new Float64Array(0);
  bins = new Float64Array(0);
  counts = new Int32Array(0);
  masses = new Float64Array(0);
  args = new Float64Array(0);
  results = new Float64Array(0);
  readonly tailError = 1.5e-4;
  aboveCount = 0;
  readonly heavyCounts = new Int32Array(4);
  private readonly exports: Exports;
  private flags = new Int32Array(0);
  private x = 0;
  private valuesPtr = 0;
  private wPtr = 0;
  private idsPtr = 0;
  private slotsPtr = 0;
  private keysPtr = 0;
  private tableCountsPtr = 0;
  private slotValuesPtr = 0;
  private slotValues64Ptr = 0;
  private slotFlagsPtr = 0;
  private blocksPtr = 0;
  private binsPtr = 0;
  private countsPtr = 0;
  private massesPtr = 0;
  private sortA = 0;
  private sortB = 0;
  private radixPtr = 0;

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
    const take = (bytes: number): number => {
      const start = at;
      at += (bytes + 15) & ~15;
      return start;
    };
    this.x = take(size * 4);
    this.valuesPtr = take(size * 4);
    this.wPtr = take(size * 4);
    this.idsPtr = take((size + SPARE) * 4);
    this.slotsPtr = take(size * 2);
    this.keysPtr = take(TABLE_SIZE * 4);
    this.tableCountsPtr = take(TABLE_SIZE * 4);
    this.slotValuesPtr = take((TABLE_SIZE + 1) * 4);
    this.slotValues64Ptr = take((TABLE_SIZE + 1) * 8);
    this.slotFlagsPtr = take(TABLE_SIZE + 1);
    this.blocksPtr = take(blocks * 8);
    this.binsPtr = take(BIN_COUNT * 8);
    this.countsPtr = take(HISTOGRAM_KEYS * 4);
    this.massesPtr = take(HISTOGRAM_KEYS * 8);
    this.sortA = take(size * 8);
    this.sortB = take(size * 8);
    this.radixPtr = take(2048 * 4);
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
    const some = size > 0;
    this.results = new Float64Array(buffer, RES, 16);
    this.flags = new Int32Array(buffer, RESI, 16);
    this.args = new Float64Array(buffer, PARAM, 8);
    this.logits = new Float32Array(buffer, this.x, size);
    this.values = new Float32Array(buffer, this.valuesPtr, size);
    this.w = new Float32Array(buffer, this.wPtr, size);
    this.ids = new Int32Array(buffer, this.idsPtr, some ? size + SPARE : 0);
    this.slots = new Uint16Array(buffer, this.slotsPtr, size);
    this.tableKeys = new Uint32Array(buffer, this.keysPtr, some ? TABLE_SIZE : 0);
    this.tableCounts = new Int32Array(buffer, this.tableCountsPtr, some ? TABLE_SIZE : 0);
    this.slotValues = new Float32Array(buffer, this.slotValuesPtr, some ? TABLE_SIZE + 1 : 0);
    this.slotValues64 = new Float64Array(buffer, this.slotValues64Ptr, some ? TABLE_SIZE + 1 : 0);
    this.slotFlags = new Uint8Array(buffer, this.slotFlagsPtr, some ? TABLE_SIZE + 1 : 0);
    this.blocks = new Float64Array(buffer, this.blocksPtr, some ? (size >> 8) + 2 : 0);
    this.bins = new Float64Array(buffer, this.binsPtr, some ? BIN_COUNT : 0);
    this.counts = new Int32Array(buffer, this.countsPtr, some ? HISTOGRAM_KEYS : 0);
    this.masses = new Float64Array(buffer, this.massesPtr, some ? HISTOGRAM_KEYS : 0);
  }

  /** Address of the current values. */
  private get current(): number {
    return this.modified ? this.valuesPtr : this.x;
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

  scan(n: number): number {
    return this.exports.scan(this.current, padded(n));
  }

  argmax(n: number): number {
    return this.exports.argmax(this.current, padded(n));
  }

  scale(n: number, mode: number): void {
    this.exports.scale(this.current, this.valuesPtr, padded(n), mode);
    this.modified = true;
  }

  cut(n: number): number {
    const kept = this.exports.cut(this.current, this.valuesPtr, this.wPtr, padded(n));
    this.modified = true;
    return kept;
  }

  cutSlots(n: number): number {
    const kept = this.exports.cutSlots(this.current, this.valuesPtr, this.wPtr, this.slotsPtr, this.slotFlagsPtr, n, padded(n));
    this.modified = true;
    return kept;
  }

  countAtLeast(n: number): number {
    return this.exports.countAtLeast(this.current, padded(n));
  }

  gather(n: number, cap: number): number {
    return this.exports.gather(this.current, padded(n), this.idsPtr, cap);
  }

  gatherTail(n: number, cap: number): number {
    return this.exports.gatherTail(this.current, padded(n), this.idsPtr, cap);
  }

  weights(n: number, moment: boolean): void {
    this.exports.weights(this.current, padded(n), this.wPtr, moment ? 1 : 0);
  }

  expfWeights(n: number): void {
    this.exports.expfWeights(this.current, padded(n), this.wPtr);
  }

  distinct(n: number, limit: number): number {
    return this.exports.distinct(this.current, n, this.keysPtr, this.tableCountsPtr, this.slotsPtr, TABLE_SIZE - 1, limit);
  }

  slotSum32(n: number): void {
    this.exports.slotSum32(this.current, n, this.slotsPtr, this.slotValuesPtr);
  }

  slotSum64(n: number): void {
    this.exports.slotSum64(this.current, n, this.slotsPtr, this.slotValues64Ptr);
  }

  sums(n: number, float32: boolean): void {
    this.exports.sums(this.current, n, float32 ? 1 : 0);
  }

  squares(n: number, float32: boolean): void {
    this.exports.squares(this.current, n, float32 ? 1 : 0);
  }

  kthEqual(n: number): number {
    const id = this.exports.kthEqual(this.current, padded(n));
    return id >= n ? -1 : id;
  }

  blockSums(n: number, shift: number): number {
    return this.exports.blockSums(this.wPtr, this.current, n, shift, this.blocksPtr);
  }

  exactBins(n: number): void {
    this.exports.exactBins(this.wPtr, this.current, n, this.binsPtr);
  }

  histogram(n: number): void {
    this.exports.histogram(this.wPtr, padded(n), this.countsPtr, this.massesPtr, HISTOGRAM_KEYS);
  }

  bracket(n: number, lo: number, hi: number, cap: number): number {
    const count = this.exports.bracket(this.wPtr, this.current, padded(n), lo, hi, this.idsPtr, cap);
    const flags = this.flags;
    this.aboveCount = flags[1] as number;
    const heavy = this.heavyCounts;
    heavy[0] = flags[2] as number;
    heavy[1] = flags[3] as number;
    heavy[2] = flags[4] as number;
    heavy[3] = flags[5] as number;
    return count;
  }

  band(n: number, cap: number): number {
    const count = this.exports.band(this.wPtr, this.current, padded(n), this.idsPtr, cap);
    const flags = this.flags;
    this.aboveCount = flags[1] as number;
    const heavy = this.heavyCounts;
    heavy[0] = flags[2] as number;
    heavy[1] = flags[3] as number;
    heavy[2] = flags[4] as number;
    heavy[3] = flags[5] as number;
    return count;
  }

  writeProbabilities(n: number): void {
    this.exports.writeProbabilities(this.wPtr, this.current, padded(n));
  }

  sortIds(count: number): void {
    this.exports.sortIds(this.current, this.idsPtr, count, this.sortA, this.sortB, this.radixPtr);
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
