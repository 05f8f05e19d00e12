/**
 * `expf`: e^x rounded to float32, evaluated in float64 with a fixed sequence of operations,
 * the exponential of the engine profiles that compute in float32 (llama.cpp's softmax calls
 * C's `expf`, correctly rounded in current C libraries in all but a few cases). The same
 * operations run in the WebAssembly kernel (`src/kernel/assembly/kernel.as`, `expf4`), so
 * both give identical bits, and results never depend on the JS engine's `Math.exp`.
 *
 * The rule, exactly (float64 operations, round to nearest, no fused multiply-add):
 * 1. `v = fl32(x)`, clamped to [-104, 89] (e^-104 rounds to float32 0, e^89 overflows).
 * 2. `t = v · LOG2E + 1.5·2^52`, `n = t − 1.5·2^52` (v · log2 e rounded to an integer).
 * 3. `r = (v − n · LN2_HI) − n · LN2_LO` with LN2_HI = 0x3fe62e42fee00000 (32 bits, so
 *    `n · LN2_HI` is exact) and LN2_LO = ln 2 − LN2_HI; |r| ≤ 0.347.
 * 4. `q = 1/12!`, then `q = q · r + 1/k!` for k = 11 … 0 (Taylor, relative error below 2e-16).
 * 5. The result is `fl32(q · 2^n)`.
 *
 * Accuracy: the float64 value is within about 3 ulp (of float64) of e^x, so the float32
 * result is the correctly rounded e^x except when e^x lies within ~1e-15 (relative) of a
 * midpoint between float32 values; `src/core/expf.test.ts` finds none on a sweep of
 * float32 inputs against `Math.fround(Math.exp(x))`.
 *
 * @example
 * expf(0);    // 1
 * expf(-1);   // 0.3678794503211975 (= Math.fround(Math.exp(-1)))
 * expf(-200); // 0
 */
export function expf(x: number): number {
  const v = Math.min(Math.max(Math.fround(x), EXPF_MIN_INPUT), EXPF_MAX_INPUT);
  const t = v * EXPF_LOG2E + EXPF_MAGIC;
  const n = t - EXPF_MAGIC;
  const r = v - n * EXPF_LN2_HI - n * EXPF_LN2_LO;
  let q = TAYLOR[12] as number;
  for (let k = 11; k >= 0; k--) q = q * r + (TAYLOR[k] as number);
  return Math.fround(q * (POW2[(n + 160) | 0] as number));
}

/** Inputs below this give 0 (e^-104 is below half the smallest float32 subnormal). */
export const EXPF_MIN_INPUT = -104;
/** Inputs above this give Infinity. */
export const EXPF_MAX_INPUT = 89;
export const EXPF_LOG2E = Math.LOG2E;
/** 1.5 · 2^52: adding it rounds |y| < 2^51 to an integer (ties to even). */
export const EXPF_MAGIC = 6755399441055744;
/** ln 2 split: the high part has 32 significant bits (fdlibm's split). */
export const EXPF_LN2_HI = 6.93147180369123816490e-1;
export const EXPF_LN2_LO = 1.90821492927058770002e-10;

/** TAYLOR[k] = 1/k!, each the float64 nearest (computed once, deterministically). */
export const TAYLOR = new Float64Array(13);
{
  let factorial = 1;
  for (let k = 0; k <= 12; k++) {
    if (k > 0) factorial *= k; // exact: 12! < 2^53
    TAYLOR[k] = 1 / factorial;
  }
}

/** POW2[n + 160] = 2^n for n in [-160, 130]. */
const POW2 = new Float64Array(291);
for (let n = -160; n <= 130; n++) POW2[n + 160] = 2 ** n;
