/**
 * Formats numbers the way NumPy prints `np.round(a, decimals)`: each rounded, trailing
 * zeros dropped (keeping one digit after the point), padded on the right to a common
 * width, inside brackets. Used to echo the seed scripts' printed lines exactly.
 *
 * @example
 * formatNumpyArray([0.4287, 0.26, 0.1577], 3); // "[0.429 0.26  0.158]"
 */
export function formatNumpyArray(values: ArrayLike<number>, decimals: number): string {
  const cells = Array.from(values, (value) => {
    let text = value.toFixed(decimals);
    if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '.');
    return text;
  });
  const width = Math.max(...cells.map((cell) => cell.length));
  return `[${cells.map((cell) => cell.padEnd(width)).join(' ')}]`;
}
