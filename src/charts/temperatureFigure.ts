import { softmaxWithTemperature } from '../core/softmax.js';
import { axisTop, pythonFloat } from './scale.js';
import { COLORS, percentLabel, rankOrder, themed, type FigureSpec, type PositionEncoding, type ViewSpec } from './theme.js';

/** The temperatures of the seed's figure (visualize_temperature_effects.py). */
export const SEED_FIGURE_TEMPERATURES = [0.3, 0.7, 1.0, 1.5] as const;

/** One panel of the temperature figure: the distribution at one temperature. */
export interface TemperaturePanel {
  readonly temperature: number;
  /** Probability of every token id at this temperature. */
  readonly probs: ArrayLike<number>;
}

/**
 * The panels of the temperature figure: `softmax(logits / T)` at each temperature.
 *
 * @example
 * temperatureFigureData(seedExamples.temperature_figure.logits)[0].probs[0]; // ≈ 0.5896 (T = 0.3)
 */
export function temperatureFigureData(logits: ArrayLike<number>, temperatures: readonly number[] = SEED_FIGURE_TEMPERATURES): TemperaturePanel[] {
  return temperatures.map((temperature) => ({ temperature, probs: softmaxWithTemperature(logits, temperature) }));
}

/** Options of `temperatureFigureSpec`. */
export interface TemperatureFigureOptions {
  /** Overall title (default: the seed figure's subject). */
  readonly title?: string;
  /** Panels per row (default 2, the seed's 2 × 2 grid). */
  readonly columns?: number;
  /** Most ranks to show per panel (default 20, all of the seed's tokens). */
  readonly maxRanks?: number;
}

/**
 * The seed's figure: one bar chart per temperature, token rank on x (1 = most likely),
 * probability on y, the top bar dark red and the others steel blue, titled
 * `Temperature = T` and the top bar labelled with its probability as a percentage with
 * one decimal. Laid out so that four panels in two columns measure 900 × 750, which the
 * PNG renderer's default scale of 2 turns into the seed's 1800 × 1500 pixels.
 *
 * @example
 * temperatureFigureSpec(temperatureFigureData(logits)); // labels 59.0%, 45.5%, 35.7%, 24.8% on the seed's logits
 */
export function temperatureFigureSpec(panels: readonly TemperaturePanel[], options: TemperatureFigureOptions = {}): FigureSpec {
  const maxRanks = options.maxRanks ?? 20;
  const width = 370;
  const charts = panels.map((panel): ViewSpec => {
    const order = rankOrder(panel.probs).slice(0, maxRanks);
    const values = order.map((id, index) => {
      const p = panel.probs[id] as number;
      return { rank: index + 1, id, p, label: percentLabel(p) };
    });
    const top = values[0]?.p ?? 1;
    const x: PositionEncoding = { field: 'rank', type: 'ordinal', title: 'Token rank (1 = most likely)', axis: { labelAngle: 0 } };
    const y: PositionEncoding = { field: 'p', type: 'quantitative', title: 'Probability', scale: { domain: [0, axisTop(top)], nice: false } };
    return {
      title: `Temperature = ${pythonFloat(panel.temperature)}`,
      width,
      height: 262,
      data: { values },
      layer: [
        {
          mark: { type: 'bar', tooltip: true },
          encoding: {
            x,
            y,
            color: { condition: { test: 'datum.rank === 1', value: COLORS.highlight }, value: COLORS.base },
          },
        },
        {
          transform: [{ filter: 'datum.rank === 1' }],
          // Starts at the bar's left edge and runs to the right, clear of the y axis.
          mark: { type: 'text', align: 'left', dx: -0.45 * (width / Math.max(values.length, 1)), dy: -8, fontSize: 13, fontWeight: 'bold', color: COLORS.highlight },
          encoding: { x, y, text: { field: 'label' } },
        },
      ],
    };
  });
  return themed({
    title: { text: options.title ?? 'Temperature reshapes one distribution', subtitle: `softmax(logits / T) of the same ${panels[0]?.probs.length ?? 0} logits; the top token in dark red` },
    columns: options.columns ?? 2,
    spacing: { row: 22, column: 30 },
    concat: charts,
  });
}
