/**
 * The figures `knobs plot` draws, in the order of `FIGURES` (charts/figures.ts), for its
 * help text: kept apart so that registering `knobs plot` loads no chart code. A test
 * checks that the two lists agree.
 *
 * @example
 * FIGURE_NAMES[0]; // 'softmax'
 */
export const FIGURE_NAMES: readonly string[] = [
  'softmax',
  'temperature-figure',
  'temperature-curves',
  'entropy-temperature',
  'top-p',
  'topk-topp',
  'interaction',
  'nucleus-heatmap',
  'sampling',
  'waterfall',
  'engines',
];
