/**
 * Our own exponential, `exp32`: float32 arithmetic with a fixed sequence of operations, so
 * that the TypeScript code and the WebAssembly SIMD kernel (`src/kernel/assembly`) compute
 * bit-identical weights, and draws never depend on the JS engine's `Math.exp`.
 *
 * The rule, exactly (every step rounded to float32, round-to-nearest-even, no fused
 * multiply-add; `fl(·)` is `Math.fround`):
 * 1. `v = fl(x)`, then clamped to [-100, 88] (NaN stays NaN).
 * 2. `t = fl(fl(v · LOG2E) + 1.5·2^23)`; `n = t - 1.5·2^23` (an integer: `v · log2 e` rounded
 *    to nearest, ties to even).
 * 3. Cody–Waite reduction: `r = fl(v - fl(n · C1))`, `r = fl(r - fl(n · C2))` with
 *    C1 = 0.693359375 and C2 = -2.12194440e-4.
 * 4. `q = P0`, then `q = fl(fl(q · r) + P_i)` for P1..P5 (Cephes `expf` coefficients), and
 *    `e^r ≈ fl(fl(fl(q · fl(r · r)) + r) + 1)`.
 * 5. With `e = n + 127`: the result is 0 when `e ≤ 0` (x below about -87.68: float32
 *    underflow), else `fl(e^r · 2^n)` (a subnormal result for x in [-87.68, -87.34]).
 *
 * Accuracy: within 2 ulp of float32 of the true `e^x` over [-87, 88] (measured in
 * `src/kernel/exp.test.ts`); monotone non-decreasing. `exp32(0) = 1` exactly.
 *
 * @example
 * exp32(0);        // 1
 * exp32(-1);       // 0.3678794503211975 (the float32 nearest to e^-1)
 * exp32(-1000);    // 0
 */
export function exp32(x: number): number {
  // Math.max/min keep v a float64 in optimised code (a literal in a branch would box it).
  const v = Math.min(Math.max(fround(x), EXP_MIN_INPUT), EXP_MAX_INPUT);
  const t = fround(fround(v * EXP_LOG2E) + EXP_MAGIC);
  const n = t - EXP_MAGIC;
  let r = fround(v - fround(n * EXP_C1));
  r = fround(r - fround(n * EXP_C2));
  let q = fround(fround(EXP_P0 * r) + EXP_P1);
  q = fround(fround(q * r) + EXP_P2);
  q = fround(fround(q * r) + EXP_P3);
  q = fround(fround(q * r) + EXP_P4);
  q = fround(fround(q * r) + EXP_P5);
  const er = fround(fround(fround(q * fround(r * r)) + r) + 1);
  return fround(er * (POW2[(n + 159) | 0] as number));
}

/**
 * `out[i] = exp32(logits[ids[i]] - max)` for i in [0, count): the weights of a candidate
 * list in one call. Same values as `exp32`; exists so that hot loops neither call a function
 * per token nor box its result.
 *
 * @example
 * const out = new Float64Array(2);
 * exp32Weights(new Float32Array([0, -1]), new Int32Array([1, 0]), 2, 0, out); // out = [exp32(-1), 1]
 */
export function exp32Weights(logits: Float32Array, ids: Int32Array, count: number, max: number, out: Float64Array): void {
  const at = MAX;
  at[0] = max;
  exp32WeightsAt(logits, ids, count, at, out);
}

/** Holds `max` for `exp32Weights`. */
const MAX = new Float64Array(1);

/**
 * `exp32Weights` with `max` read from `maxAt[0]`: for hot callers (V8 boxes a double passed to
 * a call it does not inline; a typed array slot is never boxed).
 *
 * @example
 * const top = new Float64Array([0]);
 * exp32WeightsAt(new Float32Array([0, -1]), new Int32Array([1, 0]), 2, top, out); // out = [exp32(-1), 1]
 */
export function exp32WeightsAt(logits: Float32Array, ids: Int32Array, count: number, maxAt: Float64Array, out: Float64Array): void {
  const max = maxAt[0] as number;
  for (let i = 0; i < count; i++) {
    // The body of exp32, repeated here (see its doc comment; test/speed checks both agree).
    const v = Math.min(Math.max(fround((logits[ids[i] as number] as number) - max), EXP_MIN_INPUT), EXP_MAX_INPUT);
    const t = fround(fround(v * EXP_LOG2E) + EXP_MAGIC);
    const n = t - EXP_MAGIC;
    let r = fround(v - fround(n * EXP_C1));
    r = fround(r - fround(n * EXP_C2));
    let q = fround(fround(EXP_P0 * r) + EXP_P1);
    q = fround(fround(q * r) + EXP_P2);
    q = fround(fround(q * r) + EXP_P3);
    q = fround(fround(q * r) + EXP_P4);
    q = fround(fround(q * r) + EXP_P5);
    const er = fround(fround(fround(q * fround(r * r)) + r) + 1);
    out[i] = fround(er * (POW2[(n + 159) | 0] as number));
  }
}

/**
 * `values[i] = exp32(values[i])` for i in [0, count), in place (see `exp32Weights`).
 *
 * @example
 * const values = Float64Array.of(-1, 0);
 * exp32InPlace(values, 2); // [exp32(-1), 1]
 */
export function exp32InPlace(values: Float64Array, count: number): void {
  for (let i = 0; i < count; i++) {
    const v = Math.min(Math.max(fround(values[i] as number), EXP_MIN_INPUT), EXP_MAX_INPUT);
    const t = fround(fround(v * EXP_LOG2E) + EXP_MAGIC);
    const n = t - EXP_MAGIC;
    let r = fround(v - fround(n * EXP_C1));
    r = fround(r - fround(n * EXP_C2));
    let q = fround(fround(EXP_P0 * r) + EXP_P1);
    q = fround(fround(q * r) + EXP_P2);
    q = fround(fround(q * r) + EXP_P3);
    q = fround(fround(q * r) + EXP_P4);
    q = fround(fround(q * r) + EXP_P5);
    const er = fround(fround(fround(q * fround(r * r)) + r) + 1);
    values[i] = fround(er * (POW2[(n + 159) | 0] as number));
  }
}

const fround = Math.fround;

/** Inputs below this are treated as this (the result is 0 there anyway). */
export const EXP_MIN_INPUT = -100;
/** Inputs above this are treated as this (float32 overflow starts just above 88.72). */
export const EXP_MAX_INPUT = 88;
/** float32(log2 e). */
export const EXP_LOG2E = fround(Math.LOG2E);
/** 1.5 · 2^23: adding it rounds a float32 in (-2^22, 2^22) to an integer, ties to even. */
export const EXP_MAGIC = 12582912;
/** High part of ln 2 (exact in float32, 9 significant bits). */
export const EXP_C1 = 0.693359375;
/** ln 2 - C1, negated sign convention of Cephes: r = v - n·C1 - n·C2. */
export const EXP_C2 = fround(-2.12194440e-4);
/** Cephes `expf` polynomial coefficients, highest degree first. */
export const EXP_P0 = fround(1.9875691500e-4);
export const EXP_P1 = fround(1.3981999507e-3);
export const EXP_P2 = fround(8.3334519073e-3);
export const EXP_P3 = fround(4.1665795894e-2);
export const EXP_P4 = fround(1.6666665459e-1);
export const EXP_P5 = fround(5.0000001201e-1);

/**
 * POW2[n + 159] = 2^n for n in [-126, 127], and 0 for n in [-159, -127] (float32 underflow,
 * `e = n + 127 ≤ 0`): a table lookup instead of a branch, so that no result is boxed.
 */
const POW2 = new Float64Array(288);
for (let n = -126; n <= 127; n++) POW2[n + 159] = Math.pow(2, n);
