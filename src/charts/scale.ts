/**
 * The top of a probability axis with room above the tallest bar for its label:
 * `max × 1.12` rounded up to a step of 1, 2 or 5 × 10^k (one tenth of the decade, or a
 * half or fifth of it when the value is small in its decade).
 *
 * @example
 * axisTop(0.5896); // 0.7
 * axisTop(0.357);  // 0.4
 */
export function axisTop(max: number): number {
  if (!(max > 0)) return 1;
  const target = max * 1.12;
  let step = 10 ** Math.floor(Math.log10(target));
  const leading = target / step;
  if (leading < 2) step /= 5;
  else if (leading < 5) step /= 2;
  const top = Math.ceil(target / step - 1e-9) * step;
  return Number(top.toPrecision(12));
}

/**
 * A number the way Python's `str(float)` prints it, as the seed's titles did:
 * `1` → `'1.0'`, `0.3` → `'0.3'`.
 *
 * @example
 * pythonFloat(1); // '1.0'
 */
export function pythonFloat(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}
