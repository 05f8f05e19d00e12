/**
 * The indices of `values` ordered by value, largest first, ties by lower index: the order of
 * `Array.from(values.keys()).sort((a, b) => values[b] - values[a] || a - b)`.
 *
 * For non-negative values (probabilities; NaN and −0 excluded) each index is packed with
 * its value into one float64 key — the value's float32 bits, inverted so that larger comes
 * first, times 2^b, plus the index (b bits) — and the keys are sorted by the engine's native
 * numeric sort, with no comparator call: about 10× faster on a 200k-token vocabulary. Keys
 * stay below 2^53, so exact, for up to 2^21 values; other inputs take the comparator sort.
 *
 * @example
 * rankDescending(new Float32Array([0.2, 0.5, 0.2, 0.1])); // Int32Array [1, 0, 2, 3]
 */
export function rankDescending(values: Float32Array): Int32Array {
  const length = values.length;
  const bits = Math.max(1, Math.ceil(Math.log2(length + 1)));
  if (bits > 21 || !allNonNegative(values)) {
    return Int32Array.from(values.keys()).sort((a, b) => (values[b] as number) - (values[a] as number) || a - b);
  }
  const words = new Uint32Array(values.buffer, values.byteOffset, length);
  const scale = 2 ** bits;
  const keys = new Float64Array(length);
  for (let i = 0; i < length; i++) keys[i] = (0x7f800000 - (words[i] as number)) * scale + i;
  keys.sort();
  const rank = new Int32Array(length);
  for (let i = 0; i < length; i++) rank[i] = (keys[i] as number) % scale;
  return rank;
}

/** Whether every value is +0, positive or +Infinity (no NaN, no −0, nothing negative). */
function allNonNegative(values: Float32Array): boolean {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length);
  for (let i = 0; i < words.length; i++) if ((words[i] as number) > 0x7f800000) return false; // sign bit set, or NaN
  return true;
}
