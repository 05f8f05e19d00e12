import { softmaxWithTemperature } from '../core/softmax.js';
import { defaultTemperatureGrid } from './entropyTemperature.js';
import { COLORS, themed, tokenLabels, type FigureSpec, type PositionEncoding } from './theme.js';

/**
 * Each token's probability as a function of temperature, `softmax(logits / T)_i`, with
 * the rows of a temperature table marked as points: low T gives everything to the top
 * token, high T pulls every probability toward 1 / V.
 *
 * @example
 * temperatureCurvesSpec([2, 1.5, 1, 0.5, 0], { marked: [0.1, 0.5, 1, 1.5, 2] });
 */
export function temperatureCurvesSpec(logits: readonly number[], options: { marked?: readonly number[]; tokens?: readonly string[]; temperatures?: readonly number[]; title?: string } = {}): FigureSpec {
  const labels = options.tokens ? tokenLabels(logits.length, options.tokens) : logits.map((logit, id) => `token ${id} (logit ${logit.toFixed(1)})`);
  const grid = (options.temperatures ?? defaultTemperatureGrid()).filter((t) => t > 0);
  const curve = (temperatures: readonly number[]) =>
    temperatures.flatMap((temperature) => {
      const probs = softmaxWithTemperature(logits, temperature);
      return logits.map((_, id) => ({ temperature, token: labels[id] as string, p: probs[id] as number }));
    });
  const x: PositionEncoding = { field: 'temperature', type: 'quantitative', title: 'Temperature T', scale: { domain: [0, Math.max(...grid, 0.1)] } };
  const color = { field: 'token', type: 'nominal', title: 'Token', sort: [...labels], scale: { range: [...COLORS.series] } } as const;
  return themed({
    title: { text: options.title ?? 'Every probability as a function of temperature', subtitle: `softmax(logits / T); points: the table's temperatures; dashed: 1 / V = ${(1 / logits.length).toFixed(3)}` },
    width: 520,
    height: 300,
    layer: [
      { data: { values: [{ uniform: 1 / logits.length }] }, mark: { type: 'rule', strokeDash: [6, 4], color: COLORS.reference }, encoding: { y: { field: 'uniform', type: 'quantitative' } } },
      { data: { values: curve(grid) }, mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y: { field: 'p', type: 'quantitative', title: 'Probability', scale: { domain: [0, 1] } }, color } },
      { data: { values: curve(options.marked ?? []) }, mark: { type: 'point', filled: true, size: 50 }, encoding: { x, y: { field: 'p', type: 'quantitative' }, color: { ...color, sort: [...labels] } } },
    ],
  });
}
