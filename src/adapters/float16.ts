/**
 * Half-precision floats as runtimes hand them over: ONNX Runtime gives `float16` tensors as
 * a `Uint16Array` of IEEE 754 binary16 bit patterns (JavaScript engines without
 * `Float16Array` have no other way), and `bfloat16` ones the same way.
 */

/** 2^(e - 25) for the 5-bit exponent e (e = 0: the subnormal scale 2^-24), so a value is mantissa × POW[e]. */
const POW = Float64Array.from({ length: 32 }, (_, exponent) => 2 ** (Math.max(exponent, 1) - 25));

/**
 * The number an IEEE 754 binary16 bit pattern encodes: sign bit 15, exponent bits 14–10
 * (bias 15), fraction bits 9–0. Exponent 0 gives zero and subnormals (fraction × 2^-24),
 * exponent 31 gives ±Infinity (fraction 0) or NaN. Exact: every binary16 value is a float32.
 *
 * @example
 * float16ToNumber(0x3c00); // 1
 * float16ToNumber(0xc000); // -2
 * float16ToNumber(0x0001); // 5.960464477539063e-8 (2^-24, the smallest subnormal)
 * float16ToNumber(0x7c00); // Infinity
 */
export function float16ToNumber(bits: number): number {
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  let magnitude: number;
  if (exponent === 0x1f) magnitude = fraction === 0 ? Infinity : NaN;
  else magnitude = (exponent === 0 ? fraction : fraction | 0x400) * (POW[exponent] as number);
  return bits & 0x8000 ? -magnitude : magnitude;
}

/**
 * The number a bfloat16 bit pattern encodes: the upper 16 bits of a float32 (sign, 8-bit
 * exponent, 7-bit fraction).
 *
 * @example
 * bfloat16ToNumber(0x3f80); // 1
 * bfloat16ToNumber(0xc040); // -3
 */
export function bfloat16ToNumber(bits: number): number {
  BITS[0] = (bits & 0xffff) << 16;
  return FLOATS[0] as number;
}

const BITS = new Uint32Array(1);
const FLOATS = new Float32Array(BITS.buffer);

/**
 * Decodes `length` binary16 values of `source` from `start` into `out` (from index 0), with no
 * allocation. Returns `out`.
 *
 * @example
 * decodeFloat16(Uint16Array.of(0x3c00, 0xbc00), 0, 2, new Float32Array(2)); // Float32Array [1, -1]
 */
export function decodeFloat16(source: ArrayLike<number>, start: number, length: number, out: Float32Array): Float32Array {
  for (let i = 0; i < length; i++) out[i] = float16ToNumber(source[start + i] as number);
  return out;
}

/**
 * Decodes `length` bfloat16 values of `source` from `start` into `out` (from index 0). Returns `out`.
 *
 * @example
 * decodeBfloat16(Uint16Array.of(0x3f80), 0, 1, new Float32Array(1)); // Float32Array [1]
 */
export function decodeBfloat16(source: ArrayLike<number>, start: number, length: number, out: Float32Array): Float32Array {
  for (let i = 0; i < length; i++) out[i] = bfloat16ToNumber(source[start + i] as number);
  return out;
}
