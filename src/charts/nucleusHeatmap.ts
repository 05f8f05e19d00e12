import { nucleusSize } from '../analysis/nucleusSize.js';
import { themed, type FigureSpec } from './theme.js';

/** Nucleus size at one (temperature, top-p) setting. */
export interface NucleusCell {
  readonly temperature: number;
  readonly p: number;
  /** Tokens kept by top-p after temperature (at least 1). */
  readonly size: number;
}

/** The default temperatures of the heatmap: 0.1, 0.2, ..., 2.0. */
export const HEATMAP_TEMPERATURES: readonly number[] = Array.from({ length: 20 }, (_, index) => Number(((index + 1) / 10).toFixed(1)));
/** The default top-p values of the heatmap: 0.1, ..., 0.9, 0.95, 0.99. */
export const HEATMAP_TOP_PS: readonly number[] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99];

/**
 * Nucleus size over a temperature × top-p grid: the tokens kept by the chain
 * `[{temperature: T}, {top_p: p}]` (temperature first, as the seed's interaction script
 * did) at every pair.
 *
 * @example
 * nucleusGrid(gaussianLogits(0), [0.3, 1.3], [0.9]); // sizes grow with T
 */
export function nucleusGrid(logits: Float32Array, temperatures: readonly number[] = HEATMAP_TEMPERATURES, topPs: readonly number[] = HEATMAP_TOP_PS): NucleusCell[] {
  return topPs.flatMap((p) => temperatures.map((temperature) => ({ temperature, p, size: nucleusSize(logits, temperature, p) })));
}

/**
 * Heatmap of nucleus size with temperature on x and top-p on y (highest p at the top),
 * each cell coloured on a log scale and labelled with its size: the same p keeps a few
 * tokens of a cold distribution and many of a hot one.
 *
 * @example
 * nucleusHeatmapSpec(nucleusGrid(logits), { vocabSize: 100 });
 */
export function nucleusHeatmapSpec(cells: readonly NucleusCell[], options: { vocabSize: number; title?: string; subtitle?: string }): FigureSpec {
  const largest = Math.max(1, ...cells.map((cell) => cell.size));
  const temperatures = [...new Set(cells.map((cell) => cell.temperature))].sort((a, b) => a - b);
  const topPs = [...new Set(cells.map((cell) => cell.p))].sort((a, b) => b - a);
  const values = cells.map((cell) => ({ T: cell.temperature.toFixed(1), p: String(cell.p), size: cell.size }));
  const x = { field: 'T', type: 'ordinal', title: 'Temperature T (applied before top-p)', sort: temperatures.map((t) => t.toFixed(1)), axis: { labelAngle: 0 } } as const;
  const y = { field: 'p', type: 'ordinal', title: 'Top-p threshold p', sort: topPs.map(String) } as const;
  return themed({
    title: {
      text: options.title ?? 'Nucleus size over temperature × top-p',
      subtitle: options.subtitle ?? `tokens kept (of ${options.vocabSize}) by top-p after temperature; colour on a log scale`,
    },
    data: { values },
    width: { step: Math.max(34, Math.ceil(320 / temperatures.length)) },
    height: { step: Math.max(28, Math.ceil(200 / topPs.length)) },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
        encoding: {
          x: { ...x, sort: [...x.sort] },
          y: { ...y, sort: [...y.sort] },
          color: {
            field: 'size',
            type: 'quantitative',
            title: ['tokens kept', '(log scale)'],
            scale: { type: 'log', scheme: 'viridis', domain: [1, Math.max(2, largest)] },
            legend: { gradientLength: Math.min(200, Math.max(28, Math.ceil(200 / topPs.length)) * topPs.length), values: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000].filter((value) => value <= largest) },
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 11 },
        encoding: {
          x: { ...x, sort: [...x.sort] },
          y: { ...y, sort: [...y.sort] },
          text: { field: 'size', type: 'quantitative' },
          // Light text on the dark (small) end of viridis, dark text on the light end.
          color: { condition: { test: `datum.size < ${Math.sqrt(Math.max(2, largest)).toFixed(3)}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  });
}
