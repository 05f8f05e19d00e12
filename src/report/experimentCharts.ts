import { COLORS, themed, type FigureSpec } from '../charts/theme.js';
import type { DeterminismResultRow } from '../experiments/determinismCells.js';
import { cellTemperature } from '../experiments/cellTemperature.js';
import { settingsLabel } from '../experiments/grid.js';
import type { SettingMetrics } from '../experiments/metricsBySetting.js';

/** The diversity metrics drawn against temperature, in panel order. */
export const DIVERSITY_METRICS = [
  { key: 'distinct2', title: 'distinct-2 (higher = more diverse)' },
  { key: 'selfBleu', title: 'self-BLEU-4 (lower = more diverse)' },
  { key: 'pairwiseSimilarity', title: 'pairwise similarity (lower = more diverse)' },
  { key: 'distinctShare', title: 'distinct completions / n' },
] as const;

/** One point of the diversity chart: a metric of one series at one temperature, averaged over prompts. */
export interface DiversityPoint {
  /** Target label, plus the other settings when they vary (`local/embedded · top_p=0.9`). */
  readonly series: string;
  readonly temperature: number;
  readonly metric: string;
  readonly value: number;
  /** Prompts averaged into the value. */
  readonly prompts: number;
}


/**
 * The points of the diversity-vs-temperature chart: for every cell with a temperature,
 * distinct-2, self-BLEU, pairwise similarity and distinct completions / n, averaged over
 * the prompts of the same target and other settings (NaN values left out). Cells without
 * completions are skipped.
 *
 * @example
 * diversityPoints(metricsBySetting(rows)).filter((point) => point.metric === 'distinct2');
 */
export function diversityPoints(cells: readonly SettingMetrics[]): DiversityPoint[] {
  const groups = new Map<string, { series: string; temperature: number; values: Map<string, number[]>; prompts: Set<string> }>();
  for (const cell of cells) {
    const temperature = cellTemperature(cell);
    if (temperature === undefined || cell.metrics.count === 0) continue;
    const { temperature: _t, ...others } = cell.settings;
    const rest = [Object.keys(others).length > 0 ? settingsLabel(others) : '', cell.chain === undefined ? '' : `chain ${typeof cell.chain === 'string' ? cell.chain : JSON.stringify(cell.chain)}`].filter(Boolean).join(' ');
    const series = rest === '' ? cell.label : `${cell.label} · ${rest}`;
    const key = `${series}\u0000${temperature}`;
    const group = groups.get(key) ?? { series, temperature, values: new Map<string, number[]>(), prompts: new Set<string>() };
    group.prompts.add(cell.promptId);
    const m = cell.metrics;
    const values: Record<string, number> = { distinct2: m.distinct2, selfBleu: m.selfBleu, pairwiseSimilarity: m.pairwiseSimilarity, distinctShare: m.distinct / m.count };
    for (const [metric, value] of Object.entries(values)) {
      if (Number.isNaN(value)) continue;
      const list = group.values.get(metric) ?? [];
      list.push(value);
      group.values.set(metric, list);
    }
    groups.set(key, group);
  }
  const points: DiversityPoint[] = [];
  for (const group of groups.values()) {
    for (const { key } of DIVERSITY_METRICS) {
      const list = group.values.get(key);
      if (!list || list.length === 0) continue;
      points.push({ series: group.series, temperature: group.temperature, metric: key, value: list.reduce((a, b) => a + b, 0) / list.length, prompts: group.prompts.size });
    }
  }
  return points.sort((a, b) => a.series.localeCompare(b.series) || a.temperature - b.temperature);
}

/**
 * Diversity against temperature, one panel per metric (distinct-2, self-BLEU,
 * pairwise similarity, distinct completions / n), one coloured line per provider (and per
 * combination of the other settings), each panel with its own y scale.
 *
 * @example
 * diversityTemperatureSpec(diversityPoints(metricsBySetting(rows)));
 */
export function diversityTemperatureSpec(points: readonly DiversityPoint[], options: { title?: string } = {}): FigureSpec {
  const titles = Object.fromEntries(DIVERSITY_METRICS.map((metric) => [metric.key, metric.title]));
  const present = DIVERSITY_METRICS.filter((metric) => points.some((point) => point.metric === metric.key));
  const series = [...new Set(points.map((point) => point.series))];
  const values = points.map((point) => ({ ...point, panel: titles[point.metric] ?? point.metric }));
  const color = { field: 'series', type: 'nominal', title: 'Provider', sort: series, scale: { domain: series, range: [...COLORS.series] }, legend: { orient: 'bottom', columns: 1, labelLimit: 600 } } as const;
  const x = { field: 'temperature', type: 'quantitative', title: 'Temperature' } as const;
  const y = { field: 'value', type: 'quantitative', title: null, scale: { zero: false } } as const;
  return themed({
    title: { text: options.title ?? 'Diversity against temperature', subtitle: 'each point: the completions of one setting (mean over prompts)' },
    data: { values },
    facet: { field: 'panel', type: 'nominal', title: null, sort: present.map((metric) => metric.title), header: { labelFontSize: 12, labelFontWeight: 'bold' } },
    columns: 2,
    spec: {
      width: 300,
      height: 190,
      layer: [
        { mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y, color } },
        {
          mark: { type: 'point', filled: true, size: 50 },
          encoding: {
            x,
            y,
            color,
            tooltip: [
              { field: 'series', title: 'provider' },
              { field: 'temperature', title: 'temperature' },
              { field: 'value', title: 'value', format: '.3f' },
              { field: 'prompts', title: 'prompts' },
            ],
          },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  } as FigureSpec);
}

/**
 * Determinism at temperature 0: one bar per provider and prompt, the number of distinct
 * outputs among its trials (1 = deterministic, in blue; more, in dark red), labelled
 * `distinct / trials`.
 *
 * @example
 * determinismChartSpec(determinismCells(rows));
 */
export function determinismChartSpec(results: readonly DeterminismResultRow[], options: { title?: string } = {}): FigureSpec {
  const values = results.map((result) => ({
    name: `${result.label} · ${result.promptId}`,
    distinct: result.analysis.distinct,
    label: `${result.analysis.distinct} / ${result.analysis.trials}`,
    deterministic: result.analysis.deterministic ? 'identical' : 'differ',
    prompt: result.prompt,
  }));
  const names = values.map((value) => value.name);
  const max = Math.max(1, ...values.map((value) => value.distinct));
  return themed({
    title: { text: options.title ?? 'Distinct outputs at temperature 0', subtitle: '1 = every trial gave the same text' },
    data: { values },
    width: 420,
    height: { step: 26 },
    layer: [
      {
        mark: 'bar',
        encoding: {
          y: { field: 'name', type: 'nominal', title: null, sort: names, axis: { labelLimit: 320 } },
          x: { field: 'distinct', type: 'quantitative', title: 'Distinct outputs', scale: { domain: [0, max + 1] }, axis: { tickMinStep: 1, format: 'd' } },
          color: { field: 'deterministic', type: 'nominal', title: 'Trials', scale: { domain: ['identical', 'differ'], range: [COLORS.base, COLORS.highlight] } },
          tooltip: [{ field: 'prompt' }, { field: 'label', title: 'distinct / trials' }],
        },
      },
      { mark: { type: 'text', align: 'left', dx: 4 }, encoding: { y: { field: 'name', type: 'nominal', sort: names }, x: { field: 'distinct', type: 'quantitative' }, text: { field: 'label' } } },
    ],
  } as FigureSpec);
}
