import type { DistributionReport } from '../analysis/distributionReport.js';
import { dim, formatTable, green, red } from './terminal.js';

/** How the table shows tokens and their input values. */
export interface DistributionTableOptions {
  /** Rows to show, most likely first (0 = all). */
  readonly top: number;
  /** Token strings by id (shown quoted when `quoteTokens`). */
  readonly tokens?: readonly string[];
  readonly quoteTokens?: boolean;
  /** Title of the input column (`logit`, `log p`) and how to write its values. */
  readonly valueTitle: string;
  readonly formatValue: (value: number) => string;
}

/**
 * The text of `knobs dist` and `knobs next`: one row per token, most likely first (token,
 * input value, probability before and after the chain, kept or cut, cumulative probability),
 * then a line with the kept count, kept mass and entropies.
 */
export function formatDistributionTable(report: DistributionReport, logits: Float32Array, options: DistributionTableOptions): string {
  const rows: string[][] = [];
  let cumulative = 0;
  const shown = options.top === 0 ? report.rank.length : Math.min(options.top, report.rank.length);
  for (let position = 0; position < shown; position++) {
    const id = report.rank[position] as number;
    const before = report.before[id] as number;
    const after = report.after[id] as number;
    cumulative += before;
    const token = options.tokens?.[id] ?? '';
    rows.push([
      String(id),
      options.quoteTokens ? JSON.stringify(token) : token,
      options.formatValue(logits[id] as number),
      before.toFixed(4),
      after.toFixed(4),
      after > 0 ? green('kept') : red('cut'),
      cumulative.toFixed(4),
    ]);
  }
  const lines = [formatTable(['id', 'token', options.valueTitle, 'p before', 'p after', '', 'cumulative'], rows)];
  if (shown < report.rank.length) lines.push(dim(`... ${report.rank.length - shown} more rows (--top 0 shows all)`));
  lines.push(
    `kept ${report.kept} of ${logits.length} tokens, ${(report.keptMass * 100).toFixed(1)}% of the mass; ` +
      `entropy ${report.entropy.before.toFixed(4)} -> ${report.entropy.after.toFixed(4)} nats`,
  );
  return `${lines.join('\n')}\n`;
}
