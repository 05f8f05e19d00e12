/**
 * Float32 helpers shared by the samplers, the fast path and the kernel's TypeScript twin:
 * order-preserving integer keys of float32 values, neighbours, and rounding up or down to
 * float32. None allocates.
 */

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/**
 * The order-preserving unsigned 32-bit key of a float32 value (the value is rounded to
 * float32 first): `a < b` exactly when `floatKey(a) < floatKey(b)`, -0 just below +0.
 *
 * @example
 * floatKey(-1) < floatKey(0); // true
 */
export function floatKey(value: number): number {
  F32[0] = value;
  const bits = U32[0] as number;
  return bits >= 0x80000000 ? 0xffffffff - bits : bits + 0x80000000;
}

/**
 * The float32 value of a key from `floatKey`.
 *
 * @example
 * keyFloat(floatKey(0.5)); // 0.5
 */
export function keyFloat(key: number): number {
  U32[0] = key >= 0x80000000 ? key - 0x80000000 : 0xffffffff - key;
  return F32[0] as number;
}

/**
 * The float32 bit pattern of `value` (rounded to float32 first), as an unsigned integer.
 *
 * @example
 * floatBits(1); // 0x3f800000
 */
export function floatBits(value: number): number {
  F32[0] = value;
  return U32[0] as number;
}

/**
 * The smallest float32 ≥ `value` (value finite or ±Infinity).
 *
 * @example
 * ceilFloat32(0.1) >= 0.1; // true, and the next float32 below it is < 0.1
 */
export function ceilFloat32(value: number): number {
  F32[0] = value;
  const rounded = F32[0] as number;
  if (rounded >= value) return rounded;
  const bits = U32[0] as number;
  U32[0] = bits === 0x80000000 ? 1 : bits > 0x80000000 ? bits - 1 : bits + 1;
  return F32[0] as number;
}

/**
 * The largest float32 ≤ `value` (value finite or ±Infinity).
 *
 * @example
 * floorFloat32(0.1) <= 0.1; // true
 */
export function floorFloat32(value: number): number {
  F32[0] = value;
  const rounded = F32[0] as number;
  if (rounded <= value) return rounded;
  const bits = U32[0] as number;
  U32[0] = bits === 0 ? 0x80000001 : bits >= 0x80000000 ? bits + 1 : bits - 1;
  return F32[0] as number;
}

/**
 * `values[i] = floorFloat32(values[i])`, in place: for hot callers (V8 boxes a double passed
 * to, or returned from, a call it does not inline; a typed array slot is never boxed).
 *
 * @example
 * const t = new Float64Array([0.1]); floorFloat32At(t, 0); // t[0] === floorFloat32(0.1)
 */
export function floorFloat32At(values: Float64Array, i: number): void {
  const value = values[i] as number;
  F32[0] = value;
  const rounded = F32[0] as number;
  if (rounded > value) {
    const bits = U32[0] as number;
    U32[0] = bits === 0 ? 0x80000001 : bits >= 0x80000000 ? bits + 1 : bits - 1;
  }
  values[i] = F32[0] as number;
}

/**
 * The next float32 below a float32 `value` (not -Infinity); -0 and +0 both give the
 * smallest negative subnormal.
 *
 * @example
 * nextFloat32Down(1) < 1; // true
 */
export function nextFloat32Down(value: number): number {
  return keyFloat(floatKey(value === 0 ? 0 : value) - (value === 0 ? 2 : 1));
}

/**
 * The next float32 above a float32 `value` (not +Infinity).
 *
 * @example
 * nextFloat32Up(1) > 1; // true
 */
export function nextFloat32Up(value: number): number {
  return keyFloat(floatKey(value === 0 ? -0 : value) + (value === 0 ? 2 : 1));
}
