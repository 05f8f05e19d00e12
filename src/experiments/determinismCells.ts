import { analyzeDeterminism, type DeterminismAnalysis } from './determinism.js';
import { metricsBySetting } from './metricsBySetting.js';
import { cellTemperature } from './cellTemperature.js';
import type { ResultRow } from './resultRow.js';
import { canonicalJson } from './canonicalJson.js';

/** The determinism analysis of one temperature-0 cell of a results file. */
export interface DeterminismResultRow {
  readonly label: string;
  readonly promptId: string;
  readonly prompt: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly analysis: DeterminismAnalysis;
}

/**
 * Every cell of a run at temperature 0 (a `temperature` field of 0, or a chain whose
 * temperature is 0) with at least two completions, analysed with `analyzeDeterminism`:
 * the determinism test inside any grid that includes T = 0.
 *
 * @example
 * determinismCells(readResultsFile('run.jsonl').rows).map((cell) => cell.analysis.distinct);
 */
export function determinismCells(rows: readonly ResultRow[]): DeterminismResultRow[] {
  const cells = metricsBySetting(rows).filter((cell) => cellTemperature(cell) === 0 && cell.metrics.count >= 2);
  return cells.map((cell) => {
    const key = canonicalJson([cell.label, cell.promptId, cell.settings, cell.chain]);
    const members = rows
      .filter((row) => row.status === 'ok' && row.text !== null && canonicalJson([row.label, row.prompt_id, row.settings, row.chain]) === key)
      .sort((a, b) => a.ordinal - b.ordinal);
    return {
      label: cell.label,
      promptId: cell.promptId,
      prompt: cell.prompt,
      settings: cell.settings,
      analysis: analyzeDeterminism(members.map((row) => (row.tokens === undefined ? { text: row.text as string } : { text: row.text as string, tokens: row.tokens }))),
    };
  });
}
