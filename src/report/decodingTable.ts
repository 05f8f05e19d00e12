import type { DecodingComparison } from '../decoding/compareDecoding.js';

/** Options of `decodingTable`. */
export interface DecodingTableOptions {
  /** Add the paper's Table 1 values after ours (default false). */
  paper?: boolean;
}

/**
 * The comparison as table cells (header and rows of strings), shared by the terminal
 * table and the report: perplexity (2 decimals), self-BLEU-4 (3), Zipf (2), repetition %
 * (1), distinct-2 (3), mean length (1); with `paper`, the paper's perplexity, self-BLEU-4,
 * Zipf and repetition % for the same row ('' where the paper has no such row). A pending
 * row shows 'pending' and its note. NaN shows as '-'.
 *
 * @example
 * const { header, rows } = decodingTable(comparison, { paper: true });
 */
export function decodingTable(comparison: DecodingComparison, options: DecodingTableOptions = {}): { header: string[]; rows: string[][] } {
  const header = ['strategy', 'perplexity', 'self-BLEU-4', 'Zipf', 'repetition %', 'distinct-2', 'length'];
  if (options.paper) header.push('paper ppl', 'paper s-BLEU', 'paper Zipf', 'paper rep %');
  const rows = comparison.rows.map((row) => {
    const m = row.metrics;
    const cells =
      row.status === 'pending' || !m
        ? [row.label, 'pending', '', '', '', '', row.note ?? '']
        : [row.label, fixed(m.perplexity, 2), fixed(m.selfBleu4, 3), fixed(m.zipf, 2), fixed(m.repetition * 100, 1), fixed(m.distinct2, 3), fixed(m.meanLength, 1)];
    if (options.paper) {
      const p = row.paper;
      cells.push(...(p ? [fixed(p.perplexity, 2), fixed(p.selfBleu4, 2), fixed(p.zipf, 2), fixed(p.repetitionPercent, 2)] : ['', '', '', '']));
    }
    return cells;
  });
  return { header, rows };
}

function fixed(value: number, digits: number): string {
  return Number.isNaN(value) ? '-' : value === Infinity ? 'Infinity' : value.toFixed(digits);
}
