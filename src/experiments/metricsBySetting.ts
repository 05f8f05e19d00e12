import { canonicalJson } from './canonicalJson.js';
import { diversityMetrics, type DiversityMetrics } from './diversityMetrics.js';
import type { ResultRow } from './resultRow.js';

/** The metrics of one cell of a run: one target, one prompt, one setting point. */
export interface SettingMetrics {
  readonly label: string;
  readonly provider: string;
  readonly model: string;
  readonly promptId: string;
  readonly prompt: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly chain?: ResultRow['chain'];
  /** Rows the provider refused (they have no text and are left out of the metrics). */
  readonly rejected: number;
  /** The first rejection reason, when there is one. */
  readonly rejectedReason?: string;
  readonly metrics: DiversityMetrics;
}

/**
 * Groups the rows of a run by target × prompt × setting point (in order of first
 * appearance by `ordinal`) and computes `diversityMetrics` of the completions of each.
 *
 * @example
 * metricsBySetting(readResultsFile('run.jsonl').rows).map((cell) => [cell.settings, cell.metrics.distinct2]);
 */
export function metricsBySetting(rows: readonly ResultRow[]): SettingMetrics[] {
  const ordered = [...rows].sort((a, b) => a.ordinal - b.ordinal);
  const groups = new Map<string, ResultRow[]>();
  for (const row of ordered) {
    const key = canonicalJson([row.label, row.prompt_id, row.settings, row.chain]);
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as ResultRow;
    const ok = group.filter((row) => row.status === 'ok' && row.text !== null);
    const refused = group.filter((row) => row.status === 'rejected');
    const reason = refused[0]?.rejected?.[0]?.reason;
    return {
      label: first.label,
      provider: first.provider,
      model: first.model,
      promptId: first.prompt_id,
      prompt: first.prompt,
      settings: first.settings,
      ...(first.chain === undefined ? {} : { chain: first.chain }),
      rejected: refused.length,
      ...(reason === undefined ? {} : { rejectedReason: reason }),
      metrics: diversityMetrics(ok.map((row) => (row.tokens === undefined ? { text: row.text as string } : { text: row.text as string, tokens: row.tokens }))),
    };
  });
}
