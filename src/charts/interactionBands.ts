import { COLORS, themed, type FigureSpec } from './theme.js';

/** Nucleus size at one temperature over many seeds: the median, quartiles, 5th/95th percentiles, one draw and the published value. */
export interface InteractionBand {
  readonly temperature: number;
  /** Nucleus size for the first seed (one draw, like the original's single run). */
  readonly firstDraw: number;
  readonly median: number;
  readonly p5: number;
  readonly p25: number;
  readonly p75: number;
  readonly p95: number;
  /** The original's published value (one unseeded, atypical draw). */
  readonly published: number;
}

/**
 * The temperature × top-p interaction: nucleus size at p against temperature, the median
 * over seeds as a line with its 25–75% and 5–95% bands, and the seed script's one
 * published (unseeded) run as dark red points.
 *
 * @example
 * interactionBandsSpec(interactionDemo({ seeds: 1000 }), { seeds: 1000 });
 */
export function interactionBandsSpec(rows: readonly InteractionBand[], options: { seeds: number; p?: number; vocabSize?: number; title?: string }): FigureSpec {
  const p = options.p ?? 0.9;
  const values = rows.map((row) => ({ ...row }));
  const x = { field: 'temperature', type: 'quantitative', title: 'Temperature T', scale: { zero: false, padding: 10 } } as const;
  const yTitle = `Nucleus size at p = ${p} (tokens of ${options.vocabSize ?? 100})`;
  const series = ['5-95% of seeds', '25-75% of seeds', `median of ${options.seeds} seeds`, 'original (one unseeded run)'];
  const color = { scale: { domain: series, range: ['#c6dbef', '#6baed6', COLORS.base, COLORS.highlight] }, title: null, legend: { orient: 'top-left', direction: 'vertical' } } as const;
  return themed({
    title: { text: options.title ?? 'Temperature and top-p interact', subtitle: 'a hotter distribution needs more tokens to reach the same p' },
    data: { values },
    width: 520,
    height: 320,
    layer: [
      { mark: { type: 'area', opacity: 0.8 }, encoding: { x, y: { field: 'p5', type: 'quantitative', title: yTitle }, y2: { field: 'p95' }, color: { ...color, scale: { domain: [...series], range: [...color.scale.range] }, datum: series[0] } } },
      { mark: { type: 'area', opacity: 0.9 }, encoding: { x, y: { field: 'p25', type: 'quantitative' }, y2: { field: 'p75' }, color: { datum: series[1] } } },
      { mark: { type: 'line', strokeWidth: 2.5, point: true }, encoding: { x, y: { field: 'median', type: 'quantitative' }, color: { datum: series[2] } } },
      { mark: { type: 'point', shape: 'diamond', filled: true, size: 90 }, encoding: { x, y: { field: 'published', type: 'quantitative' }, color: { datum: series[3] } } },
    ],
  });
}
