import type { DecodingComparison } from '../decoding/compareDecoding.js';

/** The metrics the chart shows, in panel order, with their titles. */
const PANELS: readonly { key: 'perplexity' | 'selfBleu4' | 'zipf' | 'repetition'; title: string; scale: number }[] = [
  { key: 'perplexity', title: 'Perplexity (log scale)', scale: 1 },
  { key: 'selfBleu4', title: 'Self-BLEU-4', scale: 1 },
  { key: 'zipf', title: 'Zipf coefficient', scale: 1 },
  { key: 'repetition', title: 'Repetition %', scale: 100 },
];

const FAMILY_COLORS: Readonly<Record<string, string>> = {
  human: '#222222',
  maximization: '#d62728',
  sampling: '#1f77b4',
  truncation: '#2ca02c',
};

/**
 * The decoding comparison as a Vega-Lite spec (plain JSON; render it with the charts
 * module): four panels side by side — perplexity on a log scale (bars from 1), self-BLEU-4, Zipf
 * coefficient, repetition % — with one horizontal bar per row in table order, coloured by
 * family (human, maximization, sampling, truncation), and a dashed rule at the human
 * reference's value in each panel. Pending rows and NaN values are left out.
 *
 * @example
 * const spec = decodingComparisonChart(await compareDecoding(model, prompts, { maxTokens: 60 }));
 */
export function decodingComparisonChart(comparison: DecodingComparison): Record<string, unknown> {
  const rows = comparison.rows.filter((row) => row.status === 'done' && row.metrics);
  const order = rows.map((row) => row.label);
  const families = Object.keys(FAMILY_COLORS).filter((family) => rows.some((row) => row.family === family));
  const human = rows.find((row) => row.family === 'human');
  const panel = ({ key, title, scale }: (typeof PANELS)[number], index: number): Record<string, unknown> => {
    const values = rows.flatMap((row) => {
      const value = (row.metrics as NonNullable<typeof row.metrics>)[key] * scale;
      return Number.isFinite(value) && (key !== 'perplexity' || value > 0) ? [{ strategy: row.label, family: row.family, value }] : [];
    });
    const humanValue = human?.metrics ? human.metrics[key] * scale : NaN;
    const layers: Record<string, unknown>[] = [
      {
        mark: { type: 'bar' },
        encoding: {
          y: { field: 'strategy', type: 'nominal', sort: order, title: null, ...(index > 0 ? { axis: null } : {}) },
          x: { field: 'value', type: 'quantitative', title, ...(key === 'perplexity' ? { scale: { type: 'log' } } : {}) },
          // Bars on a log scale cannot start at 0: perplexity bars start at 1, its least value.
          ...(key === 'perplexity' ? { x2: { datum: 1 } } : {}),
          color: { field: 'family', type: 'nominal', title: 'family', scale: { domain: families, range: families.map((family) => FAMILY_COLORS[family]) } },
          tooltip: [
            { field: 'strategy', type: 'nominal' },
            { field: 'value', type: 'quantitative', format: '.3f', title },
          ],
        },
      },
    ];
    if (Number.isFinite(humanValue)) {
      layers.push({ data: { values: [{ value: humanValue }] }, mark: { type: 'rule', strokeDash: [4, 3], color: FAMILY_COLORS.human }, encoding: { x: { field: 'value', type: 'quantitative' } } });
    }
    return { width: 180, height: Math.max(120, 18 * order.length), data: { values }, layer: layers };
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Decoding strategies compared (after Holtzman et al. 2020, Table 1)',
      subtitle: `${comparison.model}: ${comparison.prompts} prompts, ${comparison.maxTokens} tokens each; dashed line = human reference`,
    },
    hconcat: PANELS.map(panel),
    resolve: { scale: { y: 'shared', color: 'shared' } },
  };
}
