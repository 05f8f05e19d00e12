// AssemblyScript source of the WebAssembly SIMD kernel (compiled by build.mjs into
// ../wasmBinary.ts). Every pass reads a whole row of logits and is written for 128-bit SIMD.
// The exact exponential here must stay bit-identical to src/core/exp.ts (`exp32`): same
// constants, same operations in the same order, no fused multiply-add; the tests check it.
//
// Memory is laid out by the JavaScript side (src/kernel/wasmKernel.ts): constants at
// CONSTS, results at RES (f64 slots) and RESI (i32 slots), then the arrays. Rows are padded
// to a multiple of 64 floats with -Infinity, so every loop takes 4, 8 or 64 lanes at a time.
// Constants are loaded from memory inside the loops on purpose: V8 keeps them out of
// registers otherwise and rebuilds each one on every iteration.

const CONSTS: usize = 0;
// Float results (f64 slots, indexed as the R_* constants of src/kernel/kernel.ts).
const RES: usize = 1024;
const RESI: usize = 1152;
// Float parameters are passed through memory (PARAM f64 slots): a JavaScript double handed
// to an exported function may be boxed on the way, a store to memory never is.
const PARAM: usize = 1216;
// 16 byte-shuffles that pack the lanes selected by a 4-bit mask to the front (stream
// compaction without a branch per vector).
const PACK: usize = 1280;
// Splatted parameters of the running pass: stored once on entry, loaded inside the loops
// (V8 keeps v128 values poorly in registers across a loop: five loads beat the spills).
const SPL: usize = 1536;
// @ts-ignore: decorator
@inline function keep128(slot: usize, value: v128): void {
  v128.store(SPL + (slot << 4), value);
}
// @ts-ignore: decorator
@inline function kept128(slot: usize): v128 {
  return v128.load(SPL + (slot << 4));
}
// Result slots (R_* in kernel.ts).
const R_MAX: usize = 0;
const R_MIN: usize = 1;
const R_NAN: usize = 2;
const R_TAIL: usize = 3;
const R_TOTAL: usize = 4;
const R_MOMENT: usize = 5;
const R_SUM32: usize = 6;
const R_SUM: usize = 7;
const R_SQUARES: usize = 8;
const R_ABOVE: usize = 9;
// @ts-ignore: decorator
@inline function result(slot: usize, value: f64): void {
  store<f64>(RES + (slot << 3), value);
}
// @ts-ignore: decorator
@inline function param(slot: usize): f64 {
  return load<f64>(PARAM + (slot << 3));
}
// @ts-ignore: decorator
@inline function param32(slot: usize): f32 {
  return <f32>load<f64>(PARAM + (slot << 3));
}

// Offsets of the v128 constants (each splatted over 4 lanes).
const K_MIN: usize = 0; // -100 (f32)
const K_LOG2E: usize = 16;
const K_MAGIC: usize = 32; // 1.5 * 2^23
const K_C1: usize = 48;
const K_C2: usize = 64;
const K_P0: usize = 80;
const K_P1: usize = 96;
const K_P2: usize = 112;
const K_P3: usize = 128;
const K_P4: usize = 144;
const K_P5: usize = 160;
const K_ONE: usize = 176;
const K_BIAS: usize = 192; // i32: 0x4B400000 - 127
const K_A1: usize = 208; // 2^f on [-0.5, 0.5] (approximate tail weights)
const K_A2: usize = 224;
const K_A3: usize = 240;
const K_B1: usize = 256; // degree-2 coefficients
const K_B2: usize = 272;
// expf (src/core/expf.ts) in float64 lanes: clamp bounds, log2 e, 1.5·2^52, ln 2 split, 1/k!.
const E_LO: usize = 288;
const E_HI: usize = 304;
const E_LOG2E: usize = 320;
const E_MAGIC: usize = 336;
const E_LN2_HI: usize = 352;
const E_LN2_LO: usize = 368;
const E_TAYLOR: usize = 384; // 13 entries, 16 bytes each: 1/0! ... 1/12!
const K_LANES: usize = 592; // i32 lanes 0, 1, 2, 3
const E_BIAS: usize = 608; // i64 1023
const K_FOUR: usize = 624; // i32 4

export function setup(): void {
  for (let mask = 0; mask < 16; mask++) {
    let at: usize = PACK + (<usize>mask << 4);
    for (let lane = 0; lane < 4; lane++) {
      if ((mask >> lane) & 1) {
        for (let b = 0; b < 4; b++) store<u8>(at++, <u8>(lane * 4 + b));
      }
    }
  }
  v128.store(CONSTS + K_MIN, f32x4.splat(-100.0));
  v128.store(CONSTS + K_LOG2E, f32x4.splat(1.44269504088896341));
  v128.store(CONSTS + K_MAGIC, f32x4.splat(12582912.0));
  v128.store(CONSTS + K_C1, f32x4.splat(0.693359375));
  v128.store(CONSTS + K_C2, f32x4.splat(-2.12194440e-4));
  v128.store(CONSTS + K_P0, f32x4.splat(1.9875691500e-4));
  v128.store(CONSTS + K_P1, f32x4.splat(1.3981999507e-3));
  v128.store(CONSTS + K_P2, f32x4.splat(8.3334519073e-3));
  v128.store(CONSTS + K_P3, f32x4.splat(4.1665795894e-2));
  v128.store(CONSTS + K_P4, f32x4.splat(1.6666665459e-1));
  v128.store(CONSTS + K_P5, f32x4.splat(5.0000001201e-1));
  v128.store(CONSTS + K_ONE, f32x4.splat(1.0));
  v128.store(CONSTS + K_BIAS, i32x4.splat(0x4B400000 - 127));
  v128.store(CONSTS + K_A1, f32x4.splat(0.6932829022407532));
  v128.store(CONSTS + K_A2, f32x4.splat(0.24221062660217285));
  v128.store(CONSTS + K_A3, f32x4.splat(0.05500869080424309));
  v128.store(CONSTS + K_B1, f32x4.splat(0.7029381990432739));
  v128.store(CONSTS + K_B2, f32x4.splat(0.23986104130744934));
  v128.store(CONSTS + K_LANES, i32x4(0, 1, 2, 3));
  v128.store(CONSTS + E_BIAS, i64x2.splat(1023));
  v128.store(CONSTS + K_FOUR, i32x4.splat(4));
  v128.store(CONSTS + E_LO, f64x2.splat(-104.0));
  v128.store(CONSTS + E_HI, f64x2.splat(89.0));
  v128.store(CONSTS + E_LOG2E, f64x2.splat(1.4426950408889634));
  v128.store(CONSTS + E_MAGIC, f64x2.splat(6755399441055744.0));
  v128.store(CONSTS + E_LN2_HI, f64x2.splat(6.93147180369123816490e-1));
  v128.store(CONSTS + E_LN2_LO, f64x2.splat(1.90821492927058770002e-10));
  // 1/k! exactly as src/core/expf.ts computes them (12! < 2^53: the factorials are exact).
  let factorial: f64 = 1;
  for (let k = 0; k <= 12; k++) {
    if (k > 0) factorial *= <f64>k;
    v128.store(CONSTS + E_TAYLOR + (<usize>k << 4), f64x2.splat(1.0 / factorial));
  }
}

// exp32 on 4 lanes, for inputs <= 88 (the callers pass v - max <= 0). See src/core/exp.ts.
// @ts-ignore: decorator
@inline function exp4(x: v128): v128 {
  const v = f32x4.pmax(x, v128.load(CONSTS + K_MIN));
  const t = f32x4.add(f32x4.mul(v, v128.load(CONSTS + K_LOG2E)), v128.load(CONSTS + K_MAGIC));
  const n = f32x4.sub(t, v128.load(CONSTS + K_MAGIC));
  let r = f32x4.sub(v, f32x4.mul(n, v128.load(CONSTS + K_C1)));
  r = f32x4.sub(r, f32x4.mul(n, v128.load(CONSTS + K_C2)));
  let q = f32x4.add(f32x4.mul(v128.load(CONSTS + K_P0), r), v128.load(CONSTS + K_P1));
  q = f32x4.add(f32x4.mul(q, r), v128.load(CONSTS + K_P2));
  q = f32x4.add(f32x4.mul(q, r), v128.load(CONSTS + K_P3));
  q = f32x4.add(f32x4.mul(q, r), v128.load(CONSTS + K_P4));
  q = f32x4.add(f32x4.mul(q, r), v128.load(CONSTS + K_P5));
  const er = f32x4.add(f32x4.add(f32x4.mul(q, f32x4.mul(r, r)), r), v128.load(CONSTS + K_ONE));
  const e = i32x4.max_s(i32x4.sub(t, v128.load(CONSTS + K_BIAS)), i32x4.splat(0));
  return f32x4.mul(er, i32x4.shl(e, 23));
}

// Approximate 2^t for -130 <= t <= 0: a polynomial on the fraction, degree 3 (relative error
// 1.0e-4 before float32 rounding) when `precise`, else degree 2 (2.0e-3: cheaper, enough
// when the tail holds little mass). 0 below 2^-126. Outside that range the result is
// garbage (possibly NaN): callers mask or clamp those lanes.
// @ts-ignore: decorator
@inline function pow2approx(t: v128, precise: bool): v128 {
  const m = f32x4.add(t, v128.load(CONSTS + K_MAGIC));
  const f = f32x4.sub(t, f32x4.sub(m, v128.load(CONSTS + K_MAGIC)));
  let q: v128;
  if (precise) {
    q = f32x4.add(f32x4.mul(v128.load(CONSTS + K_A3), f), v128.load(CONSTS + K_A2));
    q = f32x4.add(f32x4.mul(q, f), v128.load(CONSTS + K_A1));
  } else {
    q = f32x4.add(f32x4.mul(v128.load(CONSTS + K_B2), f), v128.load(CONSTS + K_B1));
  }
  q = f32x4.add(f32x4.mul(q, f), v128.load(CONSTS + K_ONE));
  const e = i32x4.max_s(i32x4.sub(m, v128.load(CONSTS + K_BIAS)), i32x4.splat(0));
  return f32x4.mul(q, i32x4.shl(e, 23));
}

// @ts-ignore: decorator
@inline function hmax(m: v128): f32 {
  return max(max(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1)), max(f32x4.extract_lane(m, 2), f32x4.extract_lane(m, 3)));
}

// @ts-ignore: decorator
@inline function hsum(c: v128): i32 {
  return i32x4.extract_lane(c, 0) + i32x4.extract_lane(c, 1) + i32x4.extract_lane(c, 2) + i32x4.extract_lane(c, 3);
}


// expf on 2 float64 lanes (see src/core/expf.ts, same operations in the same order).
// @ts-ignore: decorator
@inline function expf2(x: v128): v128 {
  const v = f64x2.pmin(f64x2.pmax(x, v128.load(CONSTS + E_LO)), v128.load(CONSTS + E_HI));
  const t = f64x2.add(f64x2.mul(v, v128.load(CONSTS + E_LOG2E)), v128.load(CONSTS + E_MAGIC));
  const n = f64x2.sub(t, v128.load(CONSTS + E_MAGIC));
  const r = f64x2.sub(f64x2.sub(v, f64x2.mul(n, v128.load(CONSTS + E_LN2_HI))), f64x2.mul(n, v128.load(CONSTS + E_LN2_LO)));
  let q = v128.load(CONSTS + E_TAYLOR + (12 << 4));
  q = f64x2.add(f64x2.mul(q, r), v128.load(CONSTS + E_TAYLOR + (11 << 4)));
  q = f64x2.add(f64x2.mul(q, r), v128.load(CONSTS + E_TAYLOR + (10 << 4)));
  q = f64x2.add(f64x2.mul(q, r), v128.load(CONSTS + E_TAYLOR + (9 << 4)));
  q = f64x2.add(f64x2.mul(q, r), v128.load(CONSTS + E_TAYLOR + (8 << 4)));
  q = f64x2.add(f64x2.mul(q, r), v128.load(CONSTS + E_TAYLOR + (7 << 4)));
  q = f64x2.add(f64x2.mul(q, r), v128.load(CONSTS + E_TAYLOR + (6 << 4)));
  q = f64x2.add(f64x2.mul(q, r), v128.load(CONSTS + E_TAYLOR + (5 << 4)));
  q = f64x2.add(f64x2.mul(q, r), v128.load(CONSTS + E_TAYLOR + (4 << 4)));
  q = f64x2.add(f64x2.mul(q, r), v128.load(CONSTS + E_TAYLOR + (3 << 4)));
  q = f64x2.add(f64x2.mul(q, r), v128.load(CONSTS + E_TAYLOR + (2 << 4)));
  q = f64x2.add(f64x2.mul(q, r), v128.load(CONSTS + E_TAYLOR + (1 << 4)));
  q = f64x2.add(f64x2.mul(q, r), v128.load(CONSTS + E_TAYLOR));
  // 2^n from the bits of t = 1.5·2^52 + n: their difference is n.
  const k = i64x2.sub(t, v128.load(CONSTS + E_MAGIC));
  const scale = i64x2.shl(i64x2.add(k, v128.load(CONSTS + E_BIAS)), 52);
  return f64x2.mul(q, scale);
}

// expf on 4 float32 lanes: x - top in float64 (exactly the TypeScript `v - top`), rounded to
// float32 first as expf does, then expf2 on each half; the result rounded to float32.
// @ts-ignore: decorator
@inline function expf4(v: v128, top: v128): v128 {
  const lo = f64x2.sub(f64x2.promote_low_f32x4(v), top);
  const hi = f64x2.sub(f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)), top);
  // fl32(x) first (expf's step 1), then back to float64.
  const lo32 = f32x4.demote_f64x2_zero(lo);
  const hi32 = f32x4.demote_f64x2_zero(hi);
  const a = f32x4.demote_f64x2_zero(expf2(f64x2.promote_low_f32x4(lo32)));
  const b = f32x4.demote_f64x2_zero(expf2(f64x2.promote_low_f32x4(hi32)));
  return i64x2.shuffle(a, b, 0, 2);
}

/**
 * Validation, maximum and minimum in one pass. Returns the number of values > -Infinity;
 * R_MAX = the maximum (NaN ignored), R_MIN = the smallest finite value, R_NAN = 1 if a NaN
 * or +Infinity was seen.
 */
export function scan(x: usize, n: i32): i32 {
  keep128(0, f32x4.splat(-Infinity));
  keep128(1, f32x4.splat(Infinity));
  let m0 = kept128(0), m1 = m0;
  let l0 = kept128(1), l1 = l0;
  let c0 = i32x4.splat(0), c1 = c0;
  let bad = c0;
  for (let i = 0; i < n; i += 8) {
    const p = x + (<usize>i << 2);
    const a = v128.load(p);
    const b = v128.load(p, 16);
    m0 = f32x4.pmax(m0, a);
    m1 = f32x4.pmax(m1, b);
    const la = f32x4.gt(a, kept128(0));
    const lb = f32x4.gt(b, kept128(0));
    l0 = f32x4.pmin(l0, v128.bitselect(a, kept128(1), la));
    l1 = f32x4.pmin(l1, v128.bitselect(b, kept128(1), lb));
    c0 = i32x4.sub(c0, la);
    c1 = i32x4.sub(c1, lb);
    bad = v128.or(bad, v128.or(v128.or(f32x4.ne(a, a), f32x4.ne(b, b)), v128.or(f32x4.eq(a, kept128(1)), f32x4.eq(b, kept128(1)))));
  }
  const m = f32x4.pmax(m0, m1);
  const l = f32x4.pmin(l0, l1);
  result(R_MAX, <f64>max(max(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1)), max(f32x4.extract_lane(m, 2), f32x4.extract_lane(m, 3))));
  result(R_MIN, <f64>min(min(f32x4.extract_lane(l, 0), f32x4.extract_lane(l, 1)), min(f32x4.extract_lane(l, 2), f32x4.extract_lane(l, 3))));
  result(R_NAN, v128.any_true(bad) ? 1 : 0);
  return hsum(i32x4.add(c0, c1));
}

/**
 * Index of the first maximum (lowest index among equal maxima) in one pass: each lane keeps
 * its maximum and the first index where it occurred; the lanes are merged at the end.
 * R_MAX = the maximum; R_NAN = 1 if a NaN or +Infinity may be present (the float32 lane
 * sums are NaN or +Infinity; finite rows whose sums overflow are flagged too).
 */
export function argmax(x: usize, n: i32): i32 {
  let m0 = f32x4.splat(-Infinity), m1 = m0;
  let i0 = i32x4.splat(0), i1 = i0;
  let c0 = i32x4(0, 1, 2, 3), c1 = i32x4(4, 5, 6, 7);
  keep128(0, i32x4.splat(8));
  // A running sum turns NaN into NaN (and +Infinity into +Infinity or NaN): checked once.
  let s0 = f32x4.splat(0), s1 = s0;
  for (let i = 0; i < n; i += 8) {
    const p = x + (<usize>i << 2);
    const a = v128.load(p);
    const b = v128.load(p, 16);
    // Indices only grow, so "take the current index where the value is a new maximum" is a max.
    i0 = i32x4.max_s(i0, v128.and(c0, f32x4.gt(a, m0)));
    i1 = i32x4.max_s(i1, v128.and(c1, f32x4.gt(b, m1)));
    m0 = f32x4.pmax(m0, a);
    m1 = f32x4.pmax(m1, b);
    c0 = i32x4.add(c0, kept128(0));
    c1 = i32x4.add(c1, kept128(0));
    s0 = f32x4.add(s0, a);
    s1 = f32x4.add(s1, b);
  }
  const sum = f32x4.add(s0, s1);
  const bad = v128.any_true(f32x4.ne(sum, sum)) || v128.any_true(f32x4.eq(sum, f32x4.splat(Infinity)));
  let best = f32x4.extract_lane(m0, 0);
  let index = i32x4.extract_lane(i0, 0);
  for (let lane = 1; lane < 8; lane++) {
    const v = lane < 4 ? lanef(m0, lane) : lanef(m1, lane - 4);
    const at = lane < 4 ? lanei(i0, lane) : lanei(i1, lane - 4);
    if (v > best || (v == best && at < index)) {
      best = v;
      index = at;
    }
  }
  result(R_MAX, <f64>best);
  // NaN or +Infinity somewhere (or a float32 overflow of the sum): the caller falls back to
  // the reference, which names the bad value.
  result(R_NAN, bad ? 1 : 0);
  return best == -Infinity ? 0 : index;
}

// @ts-ignore: decorator
@inline function lanef(v: v128, lane: i32): f32 {
  return lane == 0 ? f32x4.extract_lane(v, 0) : lane == 1 ? f32x4.extract_lane(v, 1) : lane == 2 ? f32x4.extract_lane(v, 2) : f32x4.extract_lane(v, 3);
}

// @ts-ignore: decorator
@inline function lanei(v: v128, lane: i32): i32 {
  return lane == 0 ? i32x4.extract_lane(v, 0) : lane == 1 ? i32x4.extract_lane(v, 1) : lane == 2 ? i32x4.extract_lane(v, 2) : i32x4.extract_lane(v, 3);
}

// The temperature transform: mode 1 float32 multiply by s, 2 float64 multiply by d then
// rounding, 3 float32 division by s.
// @ts-ignore: decorator
@inline function scale4(v: v128, mode: i32, s: v128, d: v128): v128 {
  if (mode == 1) return f32x4.mul(v, s);
  if (mode == 3) return f32x4.div(v, s);
  const lo = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.promote_low_f32x4(v), d));
  const hi = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)), d));
  return i64x2.shuffle(lo, hi, 0, 2);
}

/** Writes `out` = the transform of `x` (PARAM: s as float32, d as float64). */
export function scale(x: usize, out: usize, n: i32, mode: i32): void {
  keep128(0, f32x4.splat(<f32>param(0)));
  keep128(1, f64x2.splat(param(1)));
  for (let i = 0; i < n; i += 4) {
    const p = <usize>i << 2;
    v128.store(out + p, scale4(v128.load(x + p), mode, kept128(0), kept128(1)));
  }
}

/**
 * Keeps value v at index i when (v > loV or v = loV and i <= loId) and (v < hiV or v = hiV
 * and i <= hiId) (PARAM: loV, loId, hiV, hiId); writes `out` (-Infinity for the others) and
 * zeroes their `w`. Returns the number kept.
 */
export function cut(x: usize, out: usize, w: usize, n: i32): i32 {
  keep128(0, f32x4.splat(<f32>param(0)));
  keep128(1, i32x4.splat(<i32>param(1)));
  keep128(2, f32x4.splat(<f32>param(2)));
  keep128(3, i32x4.splat(<i32>param(3)));
  keep128(4, f32x4.splat(-Infinity));
  keep128(5, i32x4.splat(4));
  let index = i32x4(0, 1, 2, 3);
  let count = i32x4.splat(0);
  for (let i = 0; i < n; i += 4) {
    const p = <usize>i << 2;
    const v = v128.load(x + p);
    const loV = kept128(0);
    const hiV = kept128(2);
    const low = v128.or(f32x4.gt(v, loV), v128.and(f32x4.eq(v, loV), i32x4.le_s(index, kept128(1))));
    const high = v128.or(f32x4.lt(v, hiV), v128.and(f32x4.eq(v, hiV), i32x4.le_s(index, kept128(3))));
    const keep = v128.and(v128.and(low, high), f32x4.gt(v, kept128(4)));
    v128.store(out + p, v128.bitselect(v, kept128(4), keep));
    v128.store(w + p, v128.and(v128.load(w + p), keep));
    count = i32x4.sub(count, keep);
    index = i32x4.add(index, kept128(5));
  }
  return hsum(count);
}

/** Keeps the tokens whose slot's flag is 1, or 2 with an index <= PARAM 0; as `cut`. */
export function cutSlots(x: usize, out: usize, w: usize, slots: usize, flags: usize, n: i32, padded: i32): i32 {
  const limit = <i32>param(0);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const p = <usize>i << 2;
    const v = load<f32>(x + p);
    const flag = load<u8>(flags + <usize>load<u16>(slots + (<usize>i << 1)));
    if (v > -Infinity && (flag == 1 || (flag == 2 && i <= limit))) {
      store<f32>(out + p, v);
      count++;
    } else {
      store<f32>(out + p, -Infinity);
      store<f32>(w + p, 0);
    }
  }
  for (let i = n; i < padded; i++) store<f32>(out + (<usize>i << 2), -Infinity);
  return count;
}

/** Number of values >= t (PARAM 0). */
export function countAtLeast(x: usize, n: i32): i32 {
  keep128(0, f32x4.splat(<f32>param(0)));
  let c0 = i32x4.splat(0), c1 = c0;
  for (let i = 0; i < n; i += 8) {
    const p = x + (<usize>i << 2);
    c0 = i32x4.sub(c0, f32x4.ge(v128.load(p), kept128(0)));
    c1 = i32x4.sub(c1, f32x4.ge(v128.load(p, 16), kept128(0)));
  }
  return hsum(i32x4.add(c0, c1));
}

/** Appends to `out` the indices ranked at or before (PARAM 0, PARAM 1) (see Kernel.gather), ascending; returns the count, or -1 past `cap`. */
export function gather(x: usize, n: i32, out: usize, cap: i32): i32 {
  keep128(0, f32x4.splat(<f32>param(0)));
  keep128(1, i32x4.splat(<i32>param(1)));
  let count = 0;
  let index = i32x4(0, 1, 2, 3);
  for (let i = 0; i < n; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    const t = kept128(0);
    const bits = i32x4.bitmask(v128.or(f32x4.gt(v, t), v128.and(f32x4.eq(v, t), i32x4.le_s(index, kept128(1)))));
    index = i32x4.add(index, v128.load(CONSTS + K_FOUR));
    if (bits != 0) {
      // Matching indices packed to the front and stored whole (`out` has spare entries).
      v128.store(out + (<usize>count << 2), i8x16.swizzle(i32x4.add(i32x4.splat(i), v128.load(CONSTS + K_LANES)), v128.load(PACK + (<usize>bits << 4))));
      count += <i32>popcnt(bits);
      if (count > cap) return -1;
    }
  }
  return count;
}

/**
 * Appends to `out` the indices of values >= hi (PARAM 0) and sums, over the others, the
 * approximate weight e^(v - top) (PARAM 1) into R_TAIL: 2^((v - top)·log2 e) with the exponent
 * clamped at -130 (values further below add at most 2^-130 each), the degree-3 polynomial,
 * float32 sums of 4 values per lane, then float64. Returns the count, or -1 past `cap`.
 */
export function gatherTail(x: usize, n: i32, out: usize, cap: i32): i32 {
  keep128(0, f32x4.splat(<f32>param(0)));
  keep128(1, f32x4.splat(<f32>param(1)));
  keep128(2, f32x4.splat(<f32>1.4426950408889634));
  keep128(3, f32x4.splat(-130.0));
  let count = 0;
  let total: f64 = 0;
  for (let i = 0; i < n; i += 16) {
    let acc = f32x4.splat(0);
    for (let k = i; k < i + 16; k += 4) {
      const v = v128.load(x + (<usize>k << 2));
      const above = f32x4.ge(v, kept128(0));
      const bits = i32x4.bitmask(above);
      if (bits != 0) {
        v128.store(out + (<usize>count << 2), i8x16.swizzle(i32x4.add(i32x4.splat(k), v128.load(CONSTS + K_LANES)), v128.load(PACK + (<usize>bits << 4))));
        count += <i32>popcnt(bits);
      }
      const w = pow2approx(f32x4.pmax(f32x4.mul(f32x4.sub(v, kept128(1)), kept128(2)), kept128(3)), true);
      acc = f32x4.add(acc, v128.andnot(w, above));
    }
    if (count > cap) return -1;
    total += <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1) + <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
  }
  result(R_TAIL, total);
  return count;
}

/**
 * Exact weights w = exp32(v - top) (PARAM 0) into `w`; R_TOTAL = their float64 sum (lanes in
 * pairs); with `moment`, R_MOMENT = Σ w·v in float64 (removed tokens add 0).
 */
export function weights(x: usize, n: i32, w: usize, moment: i32): void {
  keep128(0, f32x4.splat(<f32>param(0)));
  keep128(1, f32x4.splat(-Infinity));
  let a0 = f64x2.splat(0), a1 = a0;
  let b0 = a0, b1 = a0;
  for (let i = 0; i < n; i += 4) {
    const p = <usize>i << 2;
    const v = v128.load(x + p);
    const e = exp4(f32x4.sub(v, kept128(0)));
    v128.store(w + p, e);
    const eh = i32x4.shuffle(e, e, 2, 3, 0, 1);
    a0 = f64x2.add(a0, f64x2.promote_low_f32x4(e));
    a1 = f64x2.add(a1, f64x2.promote_low_f32x4(eh));
    if (moment) {
      const live = v128.and(v, f32x4.gt(v, kept128(1))); // -Infinity becomes 0 (its weight is 0)
      const lh = i32x4.shuffle(live, live, 2, 3, 0, 1);
      b0 = f64x2.add(b0, f64x2.mul(f64x2.promote_low_f32x4(e), f64x2.promote_low_f32x4(live)));
      b1 = f64x2.add(b1, f64x2.mul(f64x2.promote_low_f32x4(eh), f64x2.promote_low_f32x4(lh)));
    }
  }
  const a = f64x2.add(a0, a1);
  result(R_TOTAL, f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1));
  const b = f64x2.add(b0, b1);
  result(R_MOMENT, f64x2.extract_lane(b, 0) + f64x2.extract_lane(b, 1));
}

/** llama.cpp's softmax weights: w = expf(v - top) (PARAM 0) and R_SUM32 their float32 running sum in index order. */
export function expfWeights(x: usize, n: i32, w: usize): void {
  keep128(0, f64x2.splat(<f64><f32>param(0)));
  let sum: f32 = 0;
  for (let i = 0; i < n; i += 4) {
    const p = <usize>i << 2;
    const e = expf4(v128.load(x + p), kept128(0));
    v128.store(w + p, e);
    sum += f32x4.extract_lane(e, 0);
    sum += f32x4.extract_lane(e, 1);
    sum += f32x4.extract_lane(e, 2);
    sum += f32x4.extract_lane(e, 3);
  }
  result(R_SUM32, <f64>sum);
}

/**
 * The distinct values (float32 bits, -0 as +0) in an open-addressing table of `mask + 1`
 * slots: `keys`, `counts` (0 = empty), and each token's slot in `slots` (`mask + 1` for
 * -Infinity). Returns the number of distinct values, or -1 past `limit`.
 */
export function distinct(x: usize, n: i32, keys: usize, counts: usize, slots: usize, mask: i32, limit: i32): i32 {
  memory.fill(counts, 0, <usize>(mask + 1) << 2);
  let found = 0;
  for (let i = 0; i < n; i++) {
    let bits = load<u32>(x + (<usize>i << 2));
    if (bits == 0xff800000) {
      store<u16>(slots + (<usize>i << 1), <u16>(mask + 1));
      continue;
    }
    if (bits == 0x80000000) bits = 0;
    let h = <i32>((bits * 0x9e3779b1) >>> 19) & mask;
    while (true) {
      const c = load<i32>(counts + (<usize>h << 2));
      if (c == 0) {
        if (++found > limit) return -1;
        store<u32>(keys + (<usize>h << 2), bits);
        store<i32>(counts + (<usize>h << 2), 1);
        break;
      }
      if (load<u32>(keys + (<usize>h << 2)) == bits) {
        store<i32>(counts + (<usize>h << 2), c + 1);
        break;
      }
      h = (h + 1) & mask;
    }
    store<u16>(slots + (<usize>i << 1), <u16>h);
  }
  return found;
}

/** R_SUM32 = float32 running sum in index order of values[slot] over the live tokens. */
export function slotSum32(x: usize, n: i32, slots: usize, values: usize): void {
  let sum: f32 = 0;
  for (let i = 0; i < n; i++) {
    if (load<f32>(x + (<usize>i << 2)) > -Infinity) sum += load<f32>(values + (<usize>load<u16>(slots + (<usize>i << 1)) << 2));
  }
  result(R_SUM32, <f64>sum);
}

/** R_SUM = float64 running sum in index order of values[slot] over the live tokens. */
export function slotSum64(x: usize, n: i32, slots: usize, values: usize): void {
  let sum: f64 = 0;
  for (let i = 0; i < n; i++) {
    if (load<f32>(x + (<usize>i << 2)) > -Infinity) sum += load<f64>(values + (<usize>load<u16>(slots + (<usize>i << 1)) << 3));
  }
  result(R_SUM, sum);
}

/** R_SUM = running sum in index order of the live values: float32 (`s = fl32(s + v)`) or float64. */
export function sums(x: usize, n: i32, float32: i32): void {
  if (float32) {
    let s: f32 = 0;
    for (let i = 0; i < n; i++) {
      const v = load<f32>(x + (<usize>i << 2));
      if (v > -Infinity) s += v;
    }
    result(R_SUM, <f64>s);
  } else {
    let s: f64 = 0;
    for (let i = 0; i < n; i++) {
      const v = load<f32>(x + (<usize>i << 2));
      if (v > -Infinity) s += <f64>v;
    }
    result(R_SUM, s);
  }
}

/** R_SQUARES = running sum in index order of squared deviations from PARAM 0 (see Kernel.squares). */
export function squares(x: usize, n: i32, float32: i32): void {
  if (float32) {
    const mean = <f32>param(0);
    let s: f32 = 0;
    for (let i = 0; i < n; i++) {
      const v = load<f32>(x + (<usize>i << 2));
      if (v > -Infinity) {
        const d = <f64>(v - mean);
        s = <f32>(<f64>s + d * d);
      }
    }
    result(R_SQUARES, <f64>s);
  } else {
    const mean = param(0);
    let s: f64 = 0;
    for (let i = 0; i < n; i++) {
      const v = load<f32>(x + (<usize>i << 2));
      if (v > -Infinity) {
        const d = <f64>v - mean;
        s += d * d;
      }
    }
    result(R_SQUARES, s);
  }
}

/** The index of the k-th (PARAM 1, 1-based) value equal to PARAM 0 in index order, or -1. */
export function kthEqual(x: usize, n: i32): i32 {
  const value = <f32>param(0);
  keep128(0, f32x4.splat(value));
  let k = <i32>param(1);
  for (let i = 0; i < n; i += 4) {
    const bits = i32x4.bitmask(f32x4.eq(v128.load(x + (<usize>i << 2)), kept128(0)));
    const c = <i32>popcnt(bits);
    if (c >= k) {
      for (let j = i; j < i + 4; j++) if (load<f32>(x + (<usize>j << 2)) == value && --k == 0) return j;
    }
    k -= c;
  }
  return -1;
}

/** Sums of w over the live tokens (x > -Infinity), per block of 2^shift indices, into out[block]; returns the number of blocks. */
export function blockSums(w: usize, x: usize, n: i32, shift: i32, out: usize): i32 {
  keep128(0, f32x4.splat(-Infinity));
  keep128(1, f32x4.splat(<f32>param(0)));
  keep128(2, i32x4.splat(<i32>param(1)));
  keep128(3, i32x4.splat(4));
  const size = 1 << shift;
  let block = 0;
  let index = i32x4(0, 1, 2, 3);
  for (let start = 0; start < n; start += size) {
    const end = min(n, start + size);
    let a0 = f64x2.splat(0), a1 = a0;
    for (let i = start; i < end; i += 4) {
      const p = <usize>i << 2;
      const v = v128.load(x + p);
      const loV = kept128(1);
      const keep = v128.and(f32x4.gt(v, kept128(0)), v128.or(f32x4.gt(v, loV), v128.and(f32x4.eq(v, loV), i32x4.le_s(index, kept128(2)))));
      index = i32x4.add(index, kept128(3));
      const e = v128.and(v128.load(w + p), keep);
      a0 = f64x2.add(a0, f64x2.promote_low_f32x4(e));
      a1 = f64x2.add(a1, f64x2.promote_low_f32x4(i32x4.shuffle(e, e, 2, 3, 0, 1)));
    }
    const a = f64x2.add(a0, a1);
    store<f64>(out + (<usize>block << 3), f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1));
    block++;
  }
  return block;
}

/** Exact bins: bins[bits >>> 23] += w over live tokens with w > 0 and bits >= PARAM 0 (one float32 exponent per bin: exact). */
export function exactBins(w: usize, x: usize, n: i32, bins: usize): void {
  memory.fill(bins, 0, 256 << 3);
  const lowest = <i32>param(0);
  const below = <f32>param(1);
  const above = <f32>param(2);
  for (let i = 0; i < n; i++) {
    const bits = load<i32>(w + (<usize>i << 2));
    const v = load<f32>(x + (<usize>i << 2));
    if (bits > 0 && bits >= lowest && v > -Infinity && v > below && v < above) {
      const bin = bins + (<usize>(bits >>> 23) << 3);
      store<f64>(bin, load<f64>(bin) + <f64>reinterpret<f32>(bits));
    }
  }
}

/**
 * Histogram of the weights by their float32 bits >> 16 (sign, exponent and 7 mantissa bits):
 * counts[key] and masses[key] (float64 sums) for w > 0; both arrays hold `nb` entries.
 */
export function histogram(w: usize, n: i32, counts: usize, masses: usize, nb: i32): void {
  memory.fill(counts, 0, <usize>nb << 2);
  memory.fill(masses, 0, <usize>nb << 3);
  for (let i = 0; i < n; i++) {
    const bits = load<i32>(w + (<usize>i << 2));
    if (bits > 0) {
      const key = <usize>(bits >>> 16);
      const c = counts + (key << 2);
      store<i32>(c, load<i32>(c) + 1);
      const m = masses + (key << 3);
      store<f64>(m, load<f64>(m) + <f64>reinterpret<f32>(bits));
    }
  }
}

/**
 * One pass over the weights' float32 bits: appends to `out` the indices with lo <= bits < hi
 * (ascending; -1 past `cap`), and sums the weights with bits >= hi into R_ABOVE (float64)
 * with their count in RESI[1].
 */
export function bracket(w: usize, x: usize, n: i32, lo: i32, hi: i32, out: usize, cap: i32): i32 {
  keep128(0, i32x4.splat(lo - 1));
  keep128(1, i32x4.splat(hi - 1));
  keep128(2, f32x4.splat(<f32>param(0)));
  keep128(3, f32x4.splat(<f32>param(1)));
  keep128(4, f32x4.splat(<f32>param(2)));
  keep128(5, f32x4.splat(<f32>param(3)));
  let a0 = f64x2.splat(0), a1 = a0;
  let above = i32x4.splat(0);
  let h0 = i32x4.splat(0), h1 = h0, h2 = h0, h3 = h0;
  let count = 0;
  for (let i = 0; i < n; i += 4) {
    const p = <usize>i << 2;
    const v = v128.load(w + p);
    const up = i32x4.gt_s(v, kept128(1));
    const e = v128.and(v, up);
    a0 = f64x2.add(a0, f64x2.promote_low_f32x4(e));
    a1 = f64x2.add(a1, f64x2.promote_low_f32x4(i32x4.shuffle(e, e, 2, 3, 0, 1)));
    above = i32x4.sub(above, up);
    let inside = v128.andnot(i32x4.gt_s(v, kept128(0)), up);
    if (!v128.any_true(inside)) continue;
    // Heavy values are counted, not gathered (a token of a heavy value lies inside: its weight is that value's).
    const x4 = v128.load(x + p);
    const e0 = f32x4.eq(x4, kept128(2));
    const e1 = f32x4.eq(x4, kept128(3));
    const e2 = f32x4.eq(x4, kept128(4));
    const e3 = f32x4.eq(x4, kept128(5));
    h0 = i32x4.sub(h0, v128.and(e0, inside));
    h1 = i32x4.sub(h1, v128.and(e1, inside));
    h2 = i32x4.sub(h2, v128.and(e2, inside));
    h3 = i32x4.sub(h3, v128.and(e3, inside));
    inside = v128.andnot(inside, v128.or(v128.or(e0, e1), v128.or(e2, e3)));
    const bits = i32x4.bitmask(inside);
    if (bits != 0) {
      v128.store(out + (<usize>count << 2), i8x16.swizzle(i32x4.add(i32x4.splat(i), v128.load(CONSTS + K_LANES)), v128.load(PACK + (<usize>bits << 4))));
      count += <i32>popcnt(bits);
      if (count > cap) return -1;
    }
  }
  const a = f64x2.add(a0, a1);
  result(R_ABOVE, f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1));
  store<i32>(RESI + 4, hsum(above));
  store<i32>(RESI + 8, hsum(h0));
  store<i32>(RESI + 12, hsum(h1));
  store<i32>(RESI + 16, hsum(h2));
  store<i32>(RESI + 20, hsum(h3));
  return count;
}

/**
 * Typical-p's bracket (see Kernel.band): PARAM a1, a2, b2, b1, h0..h3. R_ABOVE and RESI[1] the
 * mass and count strictly inside (a2, b2); the shells [a1, a2] and [b2, b1] gathered, heavy
 * values counted into RESI[2..5].
 */
export function band(w: usize, x: usize, n: i32, out: usize, cap: i32): i32 {
  keep128(0, f32x4.splat(<f32>param(0)));
  keep128(1, f32x4.splat(<f32>param(1)));
  keep128(2, f32x4.splat(<f32>param(2)));
  keep128(3, f32x4.splat(<f32>param(3)));
  keep128(4, f32x4.splat(<f32>param(4)));
  keep128(5, f32x4.splat(<f32>param(5)));
  keep128(6, f32x4.splat(<f32>param(6)));
  keep128(7, f32x4.splat(<f32>param(7)));
  let a0 = f64x2.splat(0), a1 = a0;
  let inner = i32x4.splat(0);
  let h0 = inner, h1 = inner, h2 = inner, h3 = inner;
  let count = 0;
  for (let i = 0; i < n; i += 4) {
    const p = <usize>i << 2;
    const v = v128.load(x + p);
    const inside = v128.and(f32x4.gt(v, kept128(1)), f32x4.lt(v, kept128(2)));
    const e = v128.and(v128.load(w + p), inside);
    a0 = f64x2.add(a0, f64x2.promote_low_f32x4(e));
    a1 = f64x2.add(a1, f64x2.promote_low_f32x4(i32x4.shuffle(e, e, 2, 3, 0, 1)));
    inner = i32x4.sub(inner, inside);
    let shell = v128.or(v128.and(f32x4.ge(v, kept128(0)), f32x4.le(v, kept128(1))), v128.and(f32x4.ge(v, kept128(2)), f32x4.le(v, kept128(3))));
    if (!v128.any_true(shell)) continue;
    const e0 = f32x4.eq(v, kept128(4));
    const e1 = f32x4.eq(v, kept128(5));
    const e2 = f32x4.eq(v, kept128(6));
    const e3 = f32x4.eq(v, kept128(7));
    h0 = i32x4.sub(h0, v128.and(e0, shell));
    h1 = i32x4.sub(h1, v128.and(e1, shell));
    h2 = i32x4.sub(h2, v128.and(e2, shell));
    h3 = i32x4.sub(h3, v128.and(e3, shell));
    shell = v128.andnot(shell, v128.or(v128.or(e0, e1), v128.or(e2, e3)));
    const bits = i32x4.bitmask(shell);
    if (bits != 0) {
      v128.store(out + (<usize>count << 2), i8x16.swizzle(i32x4.add(i32x4.splat(i), v128.load(CONSTS + K_LANES)), v128.load(PACK + (<usize>bits << 4))));
      count += <i32>popcnt(bits);
      if (count > cap) return -1;
    }
  }
  const a = f64x2.add(a0, a1);
  result(R_ABOVE, f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1));
  store<i32>(RESI + 4, hsum(inner));
  store<i32>(RESI + 8, hsum(h0));
  store<i32>(RESI + 12, hsum(h1));
  store<i32>(RESI + 16, hsum(h2));
  store<i32>(RESI + 20, hsum(h3));
  return count;
}

/** w = fl32(w · PARAM 0) for live tokens, 0 for the others. */
export function writeProbabilities(w: usize, x: usize, n: i32): void {
  keep128(0, f64x2.splat(param(0)));
  keep128(1, f32x4.splat(-Infinity));
  for (let i = 0; i < n; i += 4) {
    const p = <usize>i << 2;
    const e = v128.and(v128.load(w + p), f32x4.gt(v128.load(x + p), kept128(1)));
    const lo = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.promote_low_f32x4(e), kept128(0)));
    const hi = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.promote_low_f32x4(i32x4.shuffle(e, e, 2, 3, 0, 1)), kept128(0)));
    v128.store(w + p, i64x2.shuffle(lo, hi, 0, 2));
  }
}

/**
 * Sorts ids[0..count) (ascending on entry) by value descending, ties by lower id: an LSD radix
 * sort on 11-bit digits of (inverted order-preserving key << 32 | id) pairs, stable.
 */
export function sortIds(x: usize, ids: usize, count: i32, a: usize, b: usize, counts: usize): void {
  for (let i = 0; i < count; i++) {
    const id = load<u32>(ids + (<usize>i << 2));
    const bits = load<u32>(x + (<usize>id << 2));
    const key = ~(bits ^ (<u32>(<i32>bits >> 31) | 0x80000000));
    store<u64>(a + (<usize>i << 3), (<u64>key << 32) | <u64>id);
  }
  let src = a;
  let dst = b;
  for (let shift: u64 = 32; shift < 64; shift += 11) {
    memory.fill(counts, 0, 2048 << 2);
    for (let i = 0; i < count; i++) {
      const digit = <usize>((load<u64>(src + (<usize>i << 3)) >> shift) & 2047);
      store<i32>(counts + (digit << 2), load<i32>(counts + (digit << 2)) + 1);
    }
    let sum = 0;
    for (let d = 0; d < 2048; d++) {
      const c = load<i32>(counts + (<usize>d << 2));
      store<i32>(counts + (<usize>d << 2), sum);
      sum += c;
    }
    for (let i = 0; i < count; i++) {
      const v = load<u64>(src + (<usize>i << 3));
      const digit = <usize>((v >> shift) & 2047);
      const at = load<i32>(counts + (digit << 2));
      store<u64>(dst + (<usize>at << 3), v);
      store<i32>(counts + (digit << 2), at + 1);
    }
    const t = src;
    src = dst;
    dst = t;
  }
  for (let i = 0; i < count; i++) store<u32>(ids + (<usize>i << 2), <u32>load<u64>(src + (<usize>i << 3)));
}
