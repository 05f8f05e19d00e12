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
const RES: usize = 512;
// 16 byte-shuffles that pack the lanes selected by a 4-bit mask to the front (stream
// compaction without a branch per vector).
const PACK: usize = 1024;
const RESI: usize = 640;
// Float parameters are passed through memory (PARAM f64 slots): a JavaScript double handed
// to an exported function may be boxed on the way, a store to memory never is.
const PARAM: usize = 768;
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

/**
 * Validation and maximum in one pass. Returns the number of finite values (> -Infinity);
 * RES[0] = the maximum (NaN ignored), RESI[0] = 1 if any NaN was seen.
 */
export function scan(x: usize, n: i32): i32 {
  const ninf = f32x4.splat(-Infinity);
  let m0 = ninf, m1 = ninf;
  let c0 = i32x4.splat(0), c1 = c0;
  let bad = c0;
  for (let i = 0; i < n; i += 8) {
    const p = x + (<usize>i << 2);
    const a = v128.load(p);
    const b = v128.load(p, 16);
    m0 = f32x4.pmax(m0, a);
    m1 = f32x4.pmax(m1, b);
    c0 = i32x4.sub(c0, f32x4.gt(a, ninf));
    c1 = i32x4.sub(c1, f32x4.gt(b, ninf));
    bad = v128.or(bad, v128.or(f32x4.ne(a, a), f32x4.ne(b, b)));
  }
  store<f64>(RES, <f64>hmax(f32x4.pmax(m0, m1)));
  store<i32>(RESI, v128.any_true(bad) ? 1 : 0);
  return hsum(i32x4.add(c0, c1));
}

/** Index of the first value >= t, or -1. */
export function firstAtLeast(x: usize, n: i32): i32 {
  const tv = f32x4.splat(param32(0));
  for (let i = 0; i < n; i += 4) {
    const b = i32x4.bitmask(f32x4.ge(v128.load(x + (<usize>i << 2)), tv));
    if (b != 0) return i + ctz(b);
  }
  return -1;
}

/**
 * Index of the first maximum (lowest index among equal maxima) in one pass: each lane keeps
 * its maximum and the first index where it occurred; the lanes are merged at the end.
 * RES[0] = the maximum; RESI[0] = 1 if a NaN or +Infinity may be present (the float32 lane
 * sums are NaN or +Infinity; finite rows whose sums overflow are flagged too).
 */
export function argmax(x: usize, n: i32): i32 {
  let m0 = f32x4.splat(-Infinity), m1 = m0;
  let i0 = i32x4.splat(0), i1 = i0;
  let c0 = i32x4(0, 1, 2, 3), c1 = i32x4(4, 5, 6, 7);
  const step = i32x4.splat(8);
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
    c0 = i32x4.add(c0, step);
    c1 = i32x4.add(c1, step);
    s0 = f32x4.add(s0, a);
    s1 = f32x4.add(s1, b);
  }
  const sum = f32x4.add(s0, s1);
  const bad = v128.any_true(f32x4.ne(sum, sum)) || v128.any_true(f32x4.eq(sum, f32x4.splat(Infinity)));
  let best = f32x4.extract_lane(m0, 0);
  let index = i32x4.extract_lane(i0, 0);
  {
    const v = f32x4.extract_lane(m0, 1);
    const at = i32x4.extract_lane(i0, 1);
    if (v > best || (v == best && at < index)) {
      best = v;
      index = at;
    }
  }
  {
    const v = f32x4.extract_lane(m0, 2);
    const at = i32x4.extract_lane(i0, 2);
    if (v > best || (v == best && at < index)) {
      best = v;
      index = at;
    }
  }
  {
    const v = f32x4.extract_lane(m0, 3);
    const at = i32x4.extract_lane(i0, 3);
    if (v > best || (v == best && at < index)) {
      best = v;
      index = at;
    }
  }
  {
    const v = f32x4.extract_lane(m1, 0);
    const at = i32x4.extract_lane(i1, 0);
    if (v > best || (v == best && at < index)) {
      best = v;
      index = at;
    }
  }
  {
    const v = f32x4.extract_lane(m1, 1);
    const at = i32x4.extract_lane(i1, 1);
    if (v > best || (v == best && at < index)) {
      best = v;
      index = at;
    }
  }
  {
    const v = f32x4.extract_lane(m1, 2);
    const at = i32x4.extract_lane(i1, 2);
    if (v > best || (v == best && at < index)) {
      best = v;
      index = at;
    }
  }
  {
    const v = f32x4.extract_lane(m1, 3);
    const at = i32x4.extract_lane(i1, 3);
    if (v > best || (v == best && at < index)) {
      best = v;
      index = at;
    }
  }
  store<f64>(RES, <f64>best);
  // NaN or +Infinity somewhere (or a float32 overflow of the sum): the caller falls back to
  // the reference, which names the bad value.
  store<i32>(RESI, bad ? 1 : 0);
  return best == -Infinity ? 0 : index;
}

/** Number of values >= t. */
export function countAtLeast(x: usize, n: i32): i32 {
  const tv = f32x4.splat(param32(0));
  let c0 = i32x4.splat(0), c1 = c0;
  for (let i = 0; i < n; i += 8) {
    const p = x + (<usize>i << 2);
    c0 = i32x4.sub(c0, f32x4.ge(v128.load(p), tv));
    c1 = i32x4.sub(c1, f32x4.ge(v128.load(p, 16), tv));
  }
  return hsum(i32x4.add(c0, c1));
}

/** Appends to `out` the indices of values >= t (ascending); returns the count, or -1 past `cap`. */
export function gather(x: usize, n: i32, out: usize, cap: i32): i32 {
  const tv = f32x4.splat(param32(0));
  let count = 0;
  for (let i = 0; i < n; i += 4) {
    let bits = i32x4.bitmask(f32x4.ge(v128.load(x + (<usize>i << 2)), tv));
    if (bits != 0) {
      if (count + <i32>popcnt(bits) > cap) return -1;
      do {
        store<i32>(out + (<usize>count << 2), i + ctz(bits));
        count++;
        bits &= bits - 1;
      } while (bits != 0);
    }
  }
  return count;
}

/**
 * Appends to `out` the indices of values >= hi (ascending) and sums, over lo <= x < hi, the
 * approximate weight e^((x - top) * scale) into RES[1] (PARAM: lo, hi, top, scale) (float32 per 16 values, then f64).
 * Returns the count, or -1 as soon as it would exceed `cap`.
 */
export function gatherTail(x: usize, n: i32, out: usize, cap: i32): i32 {
  return gatherTailWith(x, n, out, cap, false, true);
}

/**
 * `gatherTail` when lo is only the span limit (top - 90/scale, no live threshold above it):
 * values below it weigh 0 anyway, so a clamp of the exponent replaces the mask (one
 * operation less per 4 values). `Cheap`: the degree-2 polynomial.
 */
export function gatherTailOpen(x: usize, n: i32, out: usize, cap: i32): i32 {
  return gatherTailWith(x, n, out, cap, true, true);
}

export function gatherTailOpenCheap(x: usize, n: i32, out: usize, cap: i32): i32 {
  return gatherTailWith(x, n, out, cap, true, false);
}

export function gatherTailCheap(x: usize, n: i32, out: usize, cap: i32): i32 {
  return gatherTailWith(x, n, out, cap, false, false);
}

// @ts-ignore: decorator
@inline function gatherTailWith(x: usize, n: i32, out: usize, cap: i32, open: bool, precise: bool): i32 {
  const lov = f32x4.splat(param32(0));
  const hiv = f32x4.splat(param32(1));
  const topv = f32x4.splat(param32(2));
  const sv = f32x4.splat(<f32>(load<f64>(PARAM + 24) * 1.4426950408889634));
  const floor = f32x4.splat(-130.0);
  let count = 0;
  let total: f64 = 0;
  for (let i = 0; i < n; i += 16) {
    // float32 sums of 4 values per lane, then float64.
    let acc = f32x4.splat(0);
    for (let k = i; k < i + 16; k += 4) {
      const v = v128.load(x + (<usize>k << 2));
      const above = f32x4.ge(v, hiv);
      let bits = i32x4.bitmask(above);
      if (bits != 0) {
        if (count + <i32>popcnt(bits) > cap) return -1;
        do {
          store<i32>(out + (<usize>count << 2), k + ctz(bits));
          count++;
          bits &= bits - 1;
        } while (bits != 0);
      }
      if (open) {
        // 2^-130 and below give 0 (and -Infinity is clamped there too).
        const w = pow2approx(f32x4.pmax(f32x4.mul(f32x4.sub(v, topv), sv), floor), precise);
        acc = f32x4.add(acc, v128.andnot(w, above));
      } else {
        const keep = v128.andnot(f32x4.ge(v, lov), above);
        const w = pow2approx(f32x4.mul(f32x4.sub(v, topv), sv), precise);
        acc = f32x4.add(acc, v128.and(w, keep));
      }
    }
    total += <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1) + <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
  }
  store<f64>(RES + 8, total);
  return count;
}

// The temperature transform of one stage, as the reference sampler stores it in float32:
// mode 0 none, 1 float32 multiply by s (s = 1/t exactly representable), 2 float64 multiply
// by d then rounding, 3 float32 division by s.
// @ts-ignore: decorator
@inline function scale4(v: v128, mode: i32, s: v128, d: v128): v128 {
  if (mode == 1) return f32x4.mul(v, s);
  if (mode == 3) return f32x4.div(v, s);
  if (mode == 2) {
    const lo = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.promote_low_f32x4(v), d));
    const hi = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)), d));
    return i64x2.shuffle(lo, hi, 0, 2);
  }
  return v;
}

/**
 * Exact weights (PARAM: lo, top, s as float32, d as float64):
 * w[i] = exp32(fl(scale(x[i]) - top)) for x[i] >= lo, else 0, stored in `w`;
 * RES[2] = their sum in float64.
 */
export function weights(x: usize, n: i32, mode: i32, w: usize): void {
  const lov = f32x4.splat(param32(0));
  const topv = f32x4.splat(param32(1));
  const sv = f32x4.splat(param32(2));
  const dv = f64x2.splat(load<f64>(PARAM + 16));
  // float64 sums (lanes in pairs): the callers rely on a relative error of at most n·2^-53.
  let a0 = f64x2.splat(0), a1 = a0;
  for (let i = 0; i < n; i += 4) {
    const p = <usize>i << 2;
    const v = v128.load(x + p);
    const e = v128.and(exp4(f32x4.sub(scale4(v, mode, sv, dv), topv)), f32x4.ge(v, lov));
    v128.store(w + p, e);
    a0 = f64x2.add(a0, f64x2.promote_low_f32x4(e));
    a1 = f64x2.add(a1, f64x2.promote_low_f32x4(i32x4.shuffle(e, e, 2, 3, 0, 1)));
  }
  const a = f64x2.add(a0, a1);
  store<f64>(RES + 16, f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1));
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

/** Appends to `out` the indices i with lo <= bits(w[i]) < hi (ascending); -1 past `cap`. */
export function gatherBits(w: usize, n: i32, lo: i32, hi: i32, out: usize, cap: i32): i32 {
  const lov = i32x4.splat(lo - 1);
  const hiv = i32x4.splat(hi);
  let count = 0;
  for (let i = 0; i < n; i += 4) {
    const v = v128.load(w + (<usize>i << 2));
    let bits = i32x4.bitmask(v128.and(i32x4.gt_s(v, lov), i32x4.lt_s(v, hiv)));
    if (bits != 0) {
      if (count + <i32>popcnt(bits) > cap) return -1;
      do {
        store<i32>(out + (<usize>count << 2), i + ctz(bits));
        count++;
        bits &= bits - 1;
      } while (bits != 0);
    }
  }
  return count;
}

/**
 * One pass over the weights' float32 bits: appends to `out` the indices with lo <= bits < hi
 * (ascending; -1 past `cap`), and sums the weights with bits >= hi into RES[3] (float64)
 * with their count in RESI[1].
 */
export function bracket(w: usize, n: i32, lo: i32, hi: i32, out: usize, cap: i32): i32 {
  const lov = i32x4.splat(lo - 1);
  const hiv = i32x4.splat(hi - 1);
  let a0 = f64x2.splat(0), a1 = a0;
  let above = i32x4.splat(0);
  let index = i32x4(0, 1, 2, 3);
  const four = i32x4.splat(4);
  let count = 0;
  for (let i = 0; i < n; i += 4) {
    const v = v128.load(w + (<usize>i << 2));
    const up = i32x4.gt_s(v, hiv);
    const e = v128.and(v, up);
    a0 = f64x2.add(a0, f64x2.promote_low_f32x4(e));
    a1 = f64x2.add(a1, f64x2.promote_low_f32x4(i32x4.shuffle(e, e, 2, 3, 0, 1)));
    above = i32x4.sub(above, up);
    // Matching indices are packed to the front and stored whole; the count advances by
    // their number (`out` has 4 spare entries past the end).
    const bits = i32x4.bitmask(v128.andnot(i32x4.gt_s(v, lov), up));
    v128.store(out + (<usize>count << 2), i8x16.swizzle(index, v128.load(PACK + (<usize>bits << 4))));
    count += <i32>popcnt(bits);
    index = i32x4.add(index, four);
    if (count > cap) return -1;
  }
  const a = f64x2.add(a0, a1);
  store<f64>(RES + 24, f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1));
  store<i32>(RESI + 4, hsum(above));
  return count;
}

/**
 * Sums of w[i] over x[i] >= t, per block of 2^shift indices, into out[block] (float64);
 * returns the number of blocks.
 */
export function blockSums(w: usize, x: usize, n: i32, shift: i32, out: usize): i32 {
  const tv = f32x4.splat(param32(0));
  const size = 1 << shift;
  let block = 0;
  for (let start = 0; start < n; start += size) {
    const end = min(n, start + size);
    let a0 = f64x2.splat(0), a1 = a0;
    for (let i = start; i < end; i += 4) {
      const p = <usize>i << 2;
      const e = v128.and(v128.load(w + p), f32x4.ge(v128.load(x + p), tv));
      a0 = f64x2.add(a0, f64x2.promote_low_f32x4(e));
      a1 = f64x2.add(a1, f64x2.promote_low_f32x4(i32x4.shuffle(e, e, 2, 3, 0, 1)));
    }
    const a = f64x2.add(a0, a1);
    store<f64>(out + (<usize>block << 3), f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1));
    block++;
  }
  return block;
}
