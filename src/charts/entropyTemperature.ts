import { entropy } from '../core/entropy.js';
import { softmaxWithTemperature } from '../core/softmax.js';
import { COLORS, themed, type FigureSpec } from './theme.js';

/** Entropy of one distribution at each temperature. */
export interface EntropySeries {
  readonly name: string;
  /** Possible tokens V (finite logits): the entropy can never exceed ln V (the uniform distribution). */
  readonly vocabSize: number;
  readonly points: readonly { readonly temperature: number; readonly entropy: number }[];
}

/**
 * Temperatures 0, 0.02, ..., 3: the default x grid of the entropy figure.
 *
 * @example
 * defaultTemperatureGrid().length; // 151
 */
export function defaultTemperatureGrid(max = 3, step = 0.02): number[] {
  const count = Math.round(max / step);
  return Array.from({ length: count + 1 }, (_, index) => Number((index * step).toFixed(10)));
}

/**
 * Entropy in nats (`-Σ p ln p`, no epsilon) of `softmax(logits / T)` at each
 * temperature. T = 0 is greedy: entropy 0.
 *
 * @example
 * entropySeries('softmax-5', [2, 1.5, 1, 0.5, 0]).points[50]; // { temperature: 1, entropy: ≈ 1.3935 }
 */
export function entropySeries(name: string, logits: ArrayLike<number>, temperatures: readonly number[] = defaultTemperatureGrid()): EntropySeries {
  return {
    name,
    vocabSize: possibleTokens(logits),
    points: temperatures.map((temperature) => ({ temperature, entropy: entropy(softmaxWithTemperature(logits, temperature)) })),
  };
}

function possibleTokens(logits: ArrayLike<number>): number {
  let count = 0;
  for (let i = 0; i < logits.length; i++) if ((logits[i] as number) > -Infinity) count++;
  return count;
}

/**
 * Entropy against temperature, one line per distribution, with `ln V` drawn as a dashed
 * ceiling for each vocabulary size: entropy rises with T and approaches ln V as the
 * distribution flattens toward uniform.
 *
 * @example
 * entropyTemperatureSpec([entropySeries('figure-20', logits)]); // ceiling at ln 20 ≈ 3.00 nats
 */
export function entropyTemperatureSpec(series: readonly EntropySeries[], options: { title?: string } = {}): FigureSpec {
  const lines = series.flatMap((one) => one.points.map((point) => ({ series: one.name, temperature: point.temperature, entropy: point.entropy })));
  const sizes = [...new Set(series.map((one) => one.vocabSize))].sort((a, b) => a - b);
  const ceilings = sizes.map((size) => ({
    ceiling: Math.log(size),
    label: `ln ${size} = ${Math.log(size).toFixed(2)} nats (V = ${size}: ${series.filter((one) => one.vocabSize === size).map((one) => one.name).join(', ')})`,
  }));
  const maxT = Math.max(...lines.map((row) => row.temperature), 0);
  return themed({
    title: { text: options.title ?? 'Entropy rises with temperature, up to ln V', subtitle: 'entropy of softmax(logits / T); dashed: the ceiling ln V of a uniform distribution over V tokens' },
    width: 640,
    height: 340,
    layer: [
      {
        data: { values: ceilings },
        mark: { type: 'rule', strokeDash: [6, 4], color: COLORS.reference },
        encoding: { y: { field: 'ceiling', type: 'quantitative' } },
      },
      {
        data: { values: ceilings.map((row) => ({ ...row, temperature: maxT })) },
        mark: { type: 'text', align: 'right', baseline: 'bottom', dy: -3, color: COLORS.reference },
        encoding: {
          x: { field: 'temperature', type: 'quantitative' },
          y: { field: 'ceiling', type: 'quantitative' },
          text: { field: 'label' },
        },
      },
      {
        data: { values: lines },
        mark: { type: 'line', strokeWidth: 2.5 },
        encoding: {
          x: { field: 'temperature', type: 'quantitative', title: 'Temperature T' },
          y: { field: 'entropy', type: 'quantitative', title: 'Entropy (nats)' },
          color: { field: 'series', type: 'nominal', title: 'Distribution', scale: { range: [...COLORS.series] }, sort: series.map((one) => one.name) },
        },
      },
    ],
  });
}
