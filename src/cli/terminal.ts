/** Whether decorations (colours, spinners, progress bars) may be written to stdout. */
export function fancyOutput(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !process.env.CI && !process.env.NO_COLOR;
}

const wrap = (open: number, close: number) => (text: string): string =>
  fancyOutput() ? `\u001b[${open}m${text}\u001b[${close}m` : text;

export const bold = wrap(1, 22);
export const dim = wrap(2, 22);
export const green = wrap(32, 39);
export const red = wrap(31, 39);
export const cyan = wrap(36, 39);
export const yellow = wrap(33, 39);

/**
 * Lays out rows as an aligned text table. Numbers (and cells that look like numbers) are
 * right-aligned, text left-aligned.
 *
 * @example
 * formatTable(['token', 'p'], [['the', '0.47']]);
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  // a reduce, not Math.max(...): `--top 0` lays out 200,000 rows, more arguments than a call takes
  const widths = header.map((title, column) => rows.reduce((width, row) => Math.max(width, visibleLength(row[column] ?? '')), visibleLength(title)));
  const numeric = header.map((_, column) => rows.length > 0 && rows.every((row) => /^[-+]?[\d.,]+(e[-+]?\d+)?%?$|^-?Infinity$|^$|^-$/.test(stripAnsi(row[column] ?? ''))));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => {
        const pad = ' '.repeat(Math.max(0, (widths[column] ?? 0) - visibleLength(cell)));
        return numeric[column] ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(header.map((title) => bold(title))), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

function visibleLength(text: string): number {
  return stripAnsi(text).length;
}
