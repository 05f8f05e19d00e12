/**
 * The passes over a whole vocabulary that the fast path needs, behind one small interface
 * with two implementations: WebAssembly SIMD (`wasmKernel.ts`) and pure TypeScript
 * (`tsKernel.ts`). Every method that decides something (a maximum, a count, a set of
 * indices, a weight, a float32 running sum) gives identical results in both; the float64
 * sums whose order the SIMD lanes change (`total`, `moment`, `tail`, `blocks`, `above`) are
 * documented with the error bound the fast path allows for.
 *
 * A row lives in two buffers: `logits`, the input (written by `load`, or by the caller through
 * the sampler's `inputBuffer`; never modified by a pass), and `values`, the current values,
 * written by the first pass that changes them (`scale`, `cut`, `cutSlots`). Until then every
 * pass reads `logits`; `modified` says which. A removed token's current value is -Infinity.
 *
 * The kernel owns its scratch: buffers sized once per vocabulary (`reserve`) and reused for
 * every row, so a pass allocates nothing. Numbers cross the interface through memory, never
 * as arguments or return values that JavaScript may box: float parameters are written to
 * `args` before a call (the slots each method reads are listed with it) and float results
 * are left in `results` (slots named by the `R_*` constants).
 */
export interface Kernel {
  /** Which implementation this is. */
  readonly kind: 'wasm' | 'ts';
  /** Largest row length the buffers hold (grown by `reserve`). */
  readonly capacity: number;
  /** The input row at [0, n), -Infinity up to `padded(n)`. A view: fetch it again after `reserve`. */
  readonly logits: Float32Array;
  /** The current values once `modified` (see above). */
  readonly values: Float32Array;
  /** Whether the current values are in `values` (else in `logits`). */
  readonly modified: boolean;
  /** Weights written by `weights` and `expfWeights` (0 for removed tokens), and by `writeProbabilities`. */
  readonly w: Float32Array;
  /** Indices written by the gathering passes, ascending. */
  readonly ids: Int32Array;
  /** Per token, its slot in the distinct-value table (`distinct`); `TABLE_SIZE` for removed tokens. */
  readonly slots: Uint16Array;
  /** The distinct-value table: float32 bits per slot (0 = empty), and the number of live tokens per slot. */
  readonly tableKeys: Uint32Array;
  readonly tableCounts: Int32Array;
  /** Per-slot inputs of `slotSum32` (float32) and `slotSum64` (float64), and flags of `cutSlots` (0 drop, 1 keep, 2 keep up to an id). */
  readonly slotValues: Float32Array;
  readonly slotValues64: Float64Array;
  readonly slotFlags: Uint8Array;
  /** Per-block sums written by `blockSums`. */
  readonly blocks: Float64Array;
  /** Exact partial sums written by `exactBins` (one per float32 exponent: each exact). */
  readonly bins: Float64Array;
  /** Histogram written by `histogram`: counts and float64 masses per key (`HISTOGRAM_KEYS` entries). */
  readonly counts: Int32Array;
  readonly masses: Float64Array;
  /** Float parameters of the next call (see each method). */
  readonly args: Float64Array;
  /** Float results of the last passes, at the `R_*` slots. */
  readonly results: Float64Array;

  /** Makes the buffers hold rows of `n` values (allocates, and moves every view, only when growing). */
  reserve(n: number): void;
  /** Copies `n` values from `source[offset..]` into `logits` (rounded to float32), then `begin(n)`. */
  load(source: ArrayLike<number>, offset: number, n: number): void;
  /** Starts a row whose `n` logits are in `logits`: pads them with -Infinity, reads `logits` again. */
  begin(n: number): void;
  /**
   * Sets R_MAX (NaN ignored), R_MIN (of the finite values) and R_NAN (1 if a NaN or +Infinity
   * may be present); returns the number of values > -Infinity.
   */
  scan(n: number): number;
  /** Index of the first maximum (sets R_MAX and R_NAN as `scan`). */
  argmax(n: number): number;
  /**
   * Temperature, with args = [s, d]: writes `values` = the float32 of each current value v
   * transformed by `mode` (1: fl32(v · s), s a float32; 2: fl32(v · d) in float64; 3:
   * fl32(v / s), s a float32).
   */
  scale(n: number, mode: number): void;
  /**
   * Removes tokens, with args = [loV, loId, hiV, hiId]: keeps token i of current value v when
   * (v > loV or v = loV and i ≤ loId) and (v < hiV or v = hiV and i ≤ hiId); writes `values`
   * (-Infinity for the others) and sets `w[i]` = 0 for them. Returns the number kept.
   */
  cut(n: number): number;
  /** Removes tokens by their slot's flag (`slotFlags`; flag 2 keeps ids ≤ args[0]). Returns the number kept. */
  cutSlots(n: number): number;
  /** Number of current values ≥ args[0]. */
  countAtLeast(n: number): number;
  /**
   * Writes into `ids` the indices of the tokens ranked at or before (args[0], args[1]): current
   * value v > args[0], or v = args[0] and index ≤ args[1] (0x7fffffff: every v ≥ args[0]);
   * returns the count, or -1 past `cap`.
   */
  gather(n: number, cap: number): number;
  /**
   * With args = [hi, top] (float32 values, top the maximum): writes into `ids` the indices of
   * current values ≥ hi (-1, and the pass stops, past `cap`), and sets R_TAIL to an
   * approximation of Σ e^(v − top) over the values v < hi whose relative error is at most
   * `tailError`, plus 2^-125 per term (values more than 90 below top count as 0 or tiny).
   */
  gatherTail(n: number, cap: number): number;
  /** Relative error bound of R_TAIL (see `gatherTail`). */
  readonly tailError: number;
  /**
   * Exact weights, with args[0] = top: `w[i] = exp32(v_i − top)` (`src/core/exp.ts`); R_TOTAL =
   * their float64 sum in any order (within n·2^-53 of the exact sum, relatively); with
   * `moment`, R_MOMENT = Σ w·v in float64 (within n·2^-52 of Σ|w·v|).
   */
  weights(n: number, moment: boolean): void;
  /**
   * The float32 softmax weights of llama.cpp, with args[0] = top: `w[i] = expf(v_i − top)`
   * (`src/core/expf.ts`) and R_SUM32 = their float32 running sum in ascending id order.
   */
  expfWeights(n: number): void;
  /**
   * The distinct current values: fills the table (`tableKeys`, `tableCounts`) and `slots`;
   * returns the number of distinct values, or -1 past `limit` (the table is then partial).
   */
  distinct(n: number, limit: number): number;
  /**
   * Float32 running sum in ascending id order of `slotValues[slot]` over the live tokens
   * (`s = fl32(s + x)`), into R_SUM32.
   */
  slotSum32(n: number): void;
  /** Float64 running sum in ascending id order of `slotValues64[slot]` over the live tokens, into R_SUM. */
  slotSum64(n: number): void;
  /**
   * Running sum in ascending id order of the live current values into R_SUM: with
   * `float32`, `s = fl32(s + v)` (llama.cpp's top-n-sigma), else float64.
   */
  sums(n: number, float32: boolean): void;
  /**
   * Running sum in ascending id order of the squared deviations of the live current values
   * from args[0] into R_SQUARES: with `float32`, `q = fl32(q + d·d)` with `d = fl32(v − mean)`
   * and `d·d` in float64 (the reference's arithmetic), else float64 throughout.
   */
  squares(n: number, float32: boolean): void;
  /** The id of the args[1]-th (1-based) token in id order whose current value equals args[0], or -1. */
  kthEqual(n: number): number;
  /**
   * `blocks[b]` = Σ w[i] over block b (2^shift ids) of the live tokens that rank at or before
   * (args[0], args[1]) — value v > args[0], or v = args[0] and i ≤ args[1] (-Infinity and -1:
   * every live token) — in float64, any order; returns the number of blocks.
   */
  blockSums(n: number, shift: number): number;
  /**
   * `bins` = exact sums, one per float32 exponent, of the live weights `w` whose float32 bits
   * are ≥ args[0] and whose current value v has args[1] < v < args[2].
   */
  exactBins(n: number): void;
  /**
   * Typical-p's bracket, with args = [a1, a2, b2, b1, h0, h1, h2, h3] (a1 ≤ a2 ≤ b2 ≤ b1,
   * float32): sums into R_ABOVE the weights of the values strictly inside (a2, b2) and counts
   * them into `aboveCount`; writes into `ids` (ascending) the indices of the values in
   * [a1, a2] or [b2, b1] other than the heavy values h0..h3 (NaN for none), counted into
   * `heavyCounts` instead; returns the count, or -1 past `cap`.
   */
  band(n: number, cap: number): number;
  /** Histogram of `w` by float32 bits >>> 16, for w > 0, into `counts` and `masses`. */
  histogram(n: number): void;
  /**
   * Writes into `ids` the indices with lo ≤ bits(w[i]) < hi (ascending) whose current value is
   * none of args[0..3] (the "heavy" values: pass NaN for none) and returns their count (-1 past
   * `cap`); counts the tokens equal to each heavy value into `heavyCounts`; sets R_ABOVE to
   * Σ w[i] over bits(w[i]) ≥ hi (float64, any order) and `aboveCount` to their number. Only
   * tokens with w > 0 count.
   */
  bracket(n: number, lo: number, hi: number, cap: number): number;
  /** Number of tokens above the last `bracket`, and of each heavy value inside it. */
  readonly aboveCount: number;
  readonly heavyCounts: Int32Array;
  /** `w[i] = fl32(w[i] · args[0])` for live tokens, 0 for the others (probabilities from weights). */
  writeProbabilities(n: number): void;
  /**
   * Sorts `ids[0..count)` (ascending on entry, as the gathering passes leave them) by current
   * value descending, ties by lower id: a stable radix sort.
   */
  sortIds(count: number): void;
}

/** Slots of `Kernel.results`. */
export const R_MAX = 0;
export const R_MIN = 1;
export const R_NAN = 2;
export const R_TAIL = 3;
export const R_TOTAL = 4;
export const R_MOMENT = 5;
export const R_SUM32 = 6;
export const R_SUM = 7;
export const R_SQUARES = 8;
export const R_ABOVE = 9;

/** Number of histogram keys: float32 bits >>> 16 of weights in (0, 1]. */
export const HISTOGRAM_KEYS = 16384;
/** Slots of the distinct-value table (a power of two; at most half are filled). */
export const TABLE_SIZE = 8192;
/** Most distinct values `kernelSumExp` takes through the table. */
export const GROUP_LIMIT_FOR_SUMS = 4096;
/** Exact bins: one per float32 exponent field. */
export const BIN_COUNT = 256;

/** Rows are padded to a multiple of 64 values (the SIMD passes take up to 64 at a time). */
export function padded(n: number): number {
  return (n + 63) & ~63;
}

/** The slot where `distinct` starts looking for the float32 `bits`. */
export function tableHash(bits: number): number {
  return (Math.imul(bits, 0x9e3779b1) >>> 19) & (TABLE_SIZE - 1);
}
