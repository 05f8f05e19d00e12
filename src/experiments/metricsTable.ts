import type { SettingMetrics } from './metricsBySetting.js';
import { settingsLabel } from './grid.js';

/** A table as header and rows of plain-text cells (for the terminal and the HTML report). */
export interface TextTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

const fixed = (value: number | undefined, digits: number): string => (value === undefined || Number.isNaN(value) ? '-' : value.toFixed(digits));

/**
 * The metrics of each setting as a table: target and prompt (when there are several),
 * setting, completions, distinct completions, distinct-1/2/3, self-BLEU, mean pairwise
 * similarity, mean words, mean log-probability and perplexity (`-` where undefined), and
 * refused requests when any were.
 *
 * @example
 * metricsTable(metricsBySetting(rows)).header;
 * // ['setting', 'n', 'distinct', 'distinct-1', 'distinct-2', 'distinct-3', 'self-BLEU', 'similarity', 'words', 'logprob', 'perplexity']
 */
export function metricsTable(cells: readonly SettingMetrics[]): TextTable {
  const targets = new Set(cells.map((cell) => cell.label)).size > 1;
  const prompts = new Set(cells.map((cell) => cell.promptId)).size > 1;
  const refused = cells.some((cell) => cell.rejected > 0);
  const header = [
    ...(targets ? ['provider'] : []),
    ...(prompts ? ['prompt'] : []),
    'setting',
    'n',
    'distinct',
    'distinct-1',
    'distinct-2',
    'distinct-3',
    'self-BLEU',
    'similarity',
    'words',
    'logprob',
    'perplexity',
    ...(refused ? ['refused'] : []),
  ];
  const rows = cells.map((cell) => {
    const m = cell.metrics;
    const setting = [settingsLabel(cell.settings), cell.chain === undefined ? '' : `chain ${typeof cell.chain === 'string' ? cell.chain : JSON.stringify(cell.chain)}`].filter((part) => part !== '' && part !== 'defaults').join(' ') || 'defaults';
    return [
      ...(targets ? [cell.label] : []),
      ...(prompts ? [cell.promptId] : []),
      setting,
      String(m.count),
      String(m.distinct),
      fixed(m.distinct1, 3),
      fixed(m.distinct2, 3),
      fixed(m.distinct3, 3),
      fixed(m.selfBleu, 3),
      fixed(m.pairwiseSimilarity, 3),
      fixed(m.meanWords, 1),
      fixed(m.meanLogprob, 3),
      fixed(m.perplexity, 2),
      ...(refused ? [String(cell.rejected)] : []),
    ];
  });
  return { header, rows };
}
