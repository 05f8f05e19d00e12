import { InvalidInputError } from '../core/errors.js';
import type { ReportFigure, ReportSection } from './types.js';
import { writeReport, type ReportResult } from './writeReport.js';
import { determinismCells, type DeterminismResultRow } from '../experiments/determinismCells.js';
import { metricsBySetting, type SettingMetrics } from '../experiments/metricsBySetting.js';
import { metricsTable } from '../experiments/metricsTable.js';
import { determinismChartSpec, diversityPoints, diversityTemperatureSpec } from './experimentCharts.js';
import type { ResultRow } from '../experiments/resultRow.js';
import { readResultsFile, type ResultsFileContents } from '../experiments/resultsFile.js';
import { formatSeedLayout } from '../experiments/seedLayout.js';

/** Options of `writeExperimentReport`. */
export interface ExperimentReportOptions {
  readonly dir: string;
  readonly title?: string;
  readonly png?: boolean;
}

const mean = (values: readonly number[]): number => (values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length);

/**
 * The sections of an experiment report, from the rows of a results file: the run
 * (requests, refusals, latency and tokens per provider), diversity against temperature
 * per provider (chart), the metrics of every setting (table), determinism at
 * temperature 0 (chart and table, where the run has T = 0 cells with several completions),
 * and samples of the completions in the seed's layout.
 *
 * @example
 * const sections = experimentSections(readResultsFile('run.jsonl'), 'run.jsonl');
 */
export function experimentSections(contents: ResultsFileContents, source: string): ReportSection[] {
  const rows = [...contents.rows].sort((a, b) => a.ordinal - b.ordinal);
  const cells = metricsBySetting(rows);
  const sections: ReportSection[] = [runSection(contents, rows, source)];
  const points = diversityPoints(cells);
  const temperatures = new Set(points.map((point) => point.temperature));
  if (temperatures.size >= 2) {
    const figure: ReportFigure = {
      name: 'diversity-temperature',
      title: 'Diversity against temperature per provider',
      caption: 'distinct-2 and distinct completions rise with temperature; self-BLEU and pairwise similarity fall. Metrics over words; each point is the mean over prompts.',
      spec: diversityTemperatureSpec(points),
    };
    sections.push({ id: 'diversity', title: 'Diversity against temperature', figures: [figure] });
  }
  const table = metricsTable(cells);
  sections.push({
    id: 'metrics',
    title: 'Metrics per setting',
    paragraphs: [
      'distinct-n: distinct n-grams / all n-grams over the completions of a setting (words); self-BLEU-4: mean BLEU of each completion against the others (lower = more diverse); similarity: mean pairwise cosine of word counts; logprob: mean log-probability per generated token (nats), and perplexity = exp(-logprob), where the provider gave them.',
    ],
    tables: [{ header: table.header, rows: table.rows }],
    ...(cells.some((cell) => cell.rejected > 0) ? { notes: refusalNotes(cells) } : {}),
  });
  const determinism = determinismCells(rows);
  if (determinism.length > 0) sections.push(determinismSection(determinism));
  sections.push(samplesSection(rows));
  return sections;
}

/**
 * Writes the HTML report of a results file with the tour report's writer (inline SVG
 * charts, their PNG and Vega-Lite files, the same page style).
 *
 * @example
 * await writeExperimentReport('runs/sweep.results.jsonl', { dir: 'runs/sweep-report' });
 */
export async function writeExperimentReport(path: string, options: ExperimentReportOptions): Promise<ReportResult> {
  const contents = readResultsFile(path);
  if (contents.rows.length === 0) throw new InvalidInputError(`${path} has no result rows: run an experiment into it first (knobs experiment run SPEC --out ${path})`);
  const names = [...new Set(contents.rows.map((row) => row.experiment))];
  return writeReport(experimentSections(contents, path), {
    dir: options.dir,
    title: options.title ?? `Experiment: ${names.join(', ')}`,
    subtitle: `${contents.rows.length} completions from ${path}, written ${new Date().toISOString().replace('T', ' ').slice(0, 19)} UTC`,
    png: options.png ?? true,
  });
}

function runSection(contents: ResultsFileContents, rows: readonly ResultRow[], source: string): ReportSection {
  const labels = [...new Set(rows.map((row) => row.label))];
  const times = rows.flatMap((row) => [row.started_at, row.finished_at]).sort();
  const expected = contents.header?.jobs;
  const perTarget = labels.map((label) => {
    const own = rows.filter((row) => row.label === label);
    const ok = own.filter((row) => row.status === 'ok');
    const fingerprints = new Set(own.map((row) => row.system_fingerprint).filter((value): value is string => typeof value === 'string'));
    const retried = own.filter((row) => row.attempts > 1).length;
    return [
      label,
      String(own.length),
      String(ok.length),
      String(own.length - ok.length),
      mean(own.map((row) => row.latency_ms)).toFixed(0),
      String(own.reduce((sum, row) => sum + (row.usage?.prompt_tokens ?? 0), 0)),
      String(own.reduce((sum, row) => sum + (row.usage?.completion_tokens ?? 0), 0)),
      String(retried),
      fingerprints.size === 0 ? '-' : [...fingerprints].join(' '),
    ];
  });
  const paragraphs = [
    `${rows.length}${expected === undefined ? '' : ` of ${expected}`} completions in ${source}${times.length > 0 ? `, from ${times[0]} to ${times[times.length - 1]}` : ''}.`,
    `Prompts: ${[...new Map(rows.map((row) => [row.prompt_id, row.prompt])).entries()].map(([id, prompt]) => `${id} = ${JSON.stringify(prompt)}`).join('; ')}.`,
  ];
  if (expected !== undefined && rows.length < expected) paragraphs.push(`The run is incomplete: ${expected - rows.length} completions are missing (continue it with --resume).`);
  return {
    id: 'run',
    title: 'The run',
    paragraphs,
    tables: [{ header: ['provider', 'requests', 'ok', 'refused', 'mean latency (ms)', 'prompt tokens', 'completion tokens', 'retried', 'system fingerprints'], rows: perTarget }],
    ...(contents.torn ? { notes: ['The file ends in a torn line (a write cut short by a crash); it was ignored.'] } : {}),
  };
}

function refusalNotes(cells: readonly SettingMetrics[]): string[] {
  return cells.filter((cell) => cell.rejected > 0).map((cell) => `${cell.label}, ${cell.promptId}: ${cell.rejected} request(s) refused — ${cell.rejectedReason ?? 'rejected by provider'}`);
}

function determinismSection(results: readonly DeterminismResultRow[]): ReportSection {
  const rows = results.map((result) => {
    const divergence = result.analysis.divergence;
    return [
      result.label,
      result.promptId,
      String(result.analysis.trials),
      String(result.analysis.distinct),
      divergence === undefined ? '-' : `${divergence.unit} ${divergence.position}`,
      divergence?.logprobGap === undefined ? '-' : divergence.logprobGap.toFixed(4),
      divergence?.candidates === undefined ? '-' : `${JSON.stringify(divergence.candidates[0].token)} vs ${JSON.stringify(divergence.candidates[1].token)}`,
    ];
  });
  return {
    id: 'determinism',
    title: 'Determinism at temperature 0',
    paragraphs: ['Every setting at temperature 0 with several completions is a determinism test: identical requests should give identical text. Where they do not, the table gives the first token where the outputs diverge and the log-probability gap between the two most likely candidates there (small gaps are where floating-point noise flips the argmax).'],
    figures: [{ name: 'determinism', title: 'Distinct outputs at temperature 0', caption: 'One bar per provider and prompt: the number of distinct texts among its trials.', spec: determinismChartSpec(results) }],
    tables: [{ header: ['provider', 'prompt', 'trials', 'distinct', 'first divergence', 'top-two gap (nats)', 'candidates'], rows }],
  };
}

function samplesSection(rows: readonly ResultRow[]): ReportSection {
  const shown = rows.filter((row) => row.index < 5);
  return {
    id: 'samples',
    title: 'Samples',
    paragraphs: [`The first ${Math.min(5, Math.max(...rows.map((row) => row.index + 1)))} completions of every setting, the first 80 characters each, in the layout of the seed's scripts.`],
    preformatted: formatSeedLayout(shown, { title: 'COMPLETIONS', printChars: 80 }),
  };
}
