/**
 * The passes over a whole vocabulary that the fast sampling paths need, behind one small
 * interface with two implementations: WebAssembly SIMD (`wasmKernel.ts`) and pure
 * TypeScript (`tsKernel.ts`). Every method that decides something (a maximum, a count, a
 * set of indices, an exact weight) gives identical results in both; the only approximate
 * quantity is `tail` (see `gatherTail`), whose relative error bound each implementation
 * states in `tailError`.
 *
 * A kernel owns its scratch: buffers sized once per vocabulary (`reserve`) and reused for
 * every row, so a pass allocates nothing. Numbers cross the interface through memory, never
 * as arguments or return values that JavaScript may box: float parameters are written to
 * `args` before a call (the slots each method reads are listed with it) and float results
 * are left in fields (`max`, `nan`, `tail`, `total`).
 */
export interface Kernel {
  /** Which implementation this is. */
  readonly kind: 'wasm' | 'ts';
  /** Largest row length the buffers hold (grown by `reserve`). */
  readonly capacity: number;
  /** The row's logits at [0, n); -Infinity from n up to `padded(n)`. Re-read after `reserve`. */
  readonly logits: Float32Array;
  /** Exact weights written by `weights` (0 for excluded entries). */
  readonly w: Float32Array;
  /** Indices written by `gatherTail` and `gatherBits`, ascending. */
  readonly ids: Int32Array;
  /** Per-block sums written by `blockSums`. */
  readonly blocks: Float64Array;
  /** Histogram written by `histogram`: counts and float64 masses per key (`HISTOGRAM_KEYS` entries). */
  readonly counts: Int32Array;
  readonly masses: Float64Array;
  /** Float parameters of the next call (see each method); re-read after `reserve`. */
  readonly args: Float64Array;
  /** Results of the last pass. */
  max: number;
  nan: boolean;
  tail: number;
  total: number;
  /**
   * Relative error bound of `tail` against Σ e^{(x - top)·scale} over the same entries, for
   * |(x - top)·scale| ≤ 90, plus 2^-125 per entry (terms below float32's normal range may
   * round to 0 or a subnormal).
   */
  readonly tailError: number;
  /** The bound when `gatherTail` may approximate more coarsely (args[5] = 0), for cheaper passes. */
  readonly tailErrorCheap: number;

  /** Makes the buffers hold rows of `n` values (allocates only when growing). */
  reserve(n: number): void;
  /** Copies `n` values from `source[offset..]` into `logits` (rounded to float32) and pads. */
  load(source: ArrayLike<number>, offset: number, n: number): void;
  /** Sets `max` (NaN ignored) and `nan`; returns the number of values > -Infinity. */
  scan(n: number): number;
  /**
   * `scan`, and also writes into `ids` the indices of values ≥ t = floorFloat32(max - args[0])
   * (ascending), their count in `gathered` (-1 when more than `cap`), and t in args[1].
   */
  scanGather(n: number, cap: number): number;
  /** Count written by `scanGather`. */
  gathered: number;
  /** Index of the first maximum (`max`, `nan` set as by `scan`). */
  argmax(n: number): number;
  /** Index of the first value ≥ t = args[0] (a float32 value), or -1. */
  firstAtLeast(n: number): number;
  /** Number of values ≥ t = args[0] (a float32 value). */
  countAtLeast(n: number): number;
  /** Writes into `ids` the indices of values ≥ t = args[0] (a float32 value); the count, or -1 past `cap`. */
  gather(n: number, cap: number): number;
  /**
   * With args = [lo, hi, top, scale, open, precise] (lo, hi, top float32 values; precise = 0
   * allows the `tailErrorCheap` bound): writes into `ids`
   * the indices of values ≥ hi, and sets `tail` to an approximation of Σ e^{(x - top)·scale}
   * over lo ≤ x < hi (relative error ≤ `tailError`). `open` = 1 promises that lo is
   * ceilFloat32(top - 90/scale) and that every value below it may be counted (its weight is
   * below e^-90). Returns the count, or -1 (the pass stops) when more than `cap` values are ≥ hi.
   */
  gatherTail(n: number, cap: number): number;
  /**
   * Exact weights, with args = [lo, top, d]: `w[i] = exp32(fl(s(x_i) - top))` for x_i ≥ lo,
   * else 0, where `s` is the stage's temperature transform (`mode`: 0 none, 1 `fl(x · d)`
   * with d exact in float32, 2 `fl(x · d)` in float64, 3 `fl(x / d)` with d a float32). Sets
   * `total` to their sum in float64, in any order: within n·2^-53 of the exact sum, relatively
   * (the fast path's certified decisions rely on it).
   */
  weights(n: number, mode: number): void;
  /** Histogram of `w` by float32 bits >>> 16, for w > 0, into `counts` and `masses`. */
  histogram(n: number): void;
  /** Writes into `ids` the indices with lo ≤ bits(w[i]) < hi; -1 when more than `cap`. */
  gatherBits(n: number, lo: number, hi: number, cap: number): number;
  /**
   * Writes into `ids` the indices with lo ≤ bits(w[i]) < hi (ascending; -1 past `cap`), and
   * sets `above` to Σ w[i] over bits(w[i]) ≥ hi (float64, any order) and `aboveCount` to
   * their number.
   */
  bracket(n: number, lo: number, hi: number, cap: number): number;
  /** Results of `bracket`. */
  above: number;
  aboveCount: number;
  /** `blocks[b]` = Σ w[i] over x_i ≥ t = args[0] in block b (2^shift indices); returns the number of blocks. */
  blockSums(n: number, shift: number): number;
}

/** Number of histogram keys: float32 bits >>> 16 of weights in (0, 1]. */
export const HISTOGRAM_KEYS = 16384;

/** Rows are padded to a multiple of 64 values (the SIMD passes take up to 64 at a time). */
export function padded(n: number): number {
  return (n + 63) & ~63;
}

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/** The largest float32 ≤ x (x finite). */
export function floorFloat32(x: number): number {
  F32[0] = x;
  if ((F32[0] as number) > x) {
    const bits = U32[0] as number;
    U32[0] = bits === 0 ? 0x80000001 : bits >= 0x80000000 ? bits + 1 : bits - 1;
  }
  return F32[0] as number;
}
