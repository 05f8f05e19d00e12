import { entropy } from '../core/entropy.js';
import { softmaxWithTemperature } from '../core/softmax.js';
import { seedExamples } from '../examples/index.js';
import { nucleusSize } from '../analysis/nucleusSize.js';

/** One panel of the seed's 2 × 2 temperature figure, as numbers. */
export interface FigurePanel {
  readonly temperature: number;
  readonly probs: Float32Array;
  /** The top probability as the figure labels it: a percentage with one decimal. */
  readonly topLabel: string;
  /** Mass of the two most likely tokens. */
  readonly topTwoMass: number;
  /** Entropy in nats. */
  readonly entropy: number;
  /** Tokens kept by top-p = 0.9 at this temperature. */
  readonly nucleus: number;
}

/**
 * The numbers behind visualize_temperature_effects.py: its 20 logits at T = 0.3, 0.7, 1,
 * 1.5, with the labels the figure printed (59.0%, 45.5%, 35.7%, 24.8%).
 *
 * @example
 * figureDemo().map((panel) => panel.topLabel); // ['59.0%', '45.5%', '35.7%', '24.8%']
 */
export function figureDemo(): FigurePanel[] {
  const logits = Float32Array.from(seedExamples.temperature_figure.logits);
  return seedExamples.temperature_figure.panels.map(({ T }) => {
    const probs = softmaxWithTemperature(logits, T);
    return {
      temperature: T,
      probs,
      topLabel: `${((probs[0] as number) * 100).toFixed(1)}%`,
      topTwoMass: (probs[0] as number) + (probs[1] as number),
      entropy: entropy(probs),
      nucleus: nucleusSize(logits, T, 0.9),
    };
  });
}
