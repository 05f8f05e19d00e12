import { entropy } from '../core/entropy.js';
import { softmaxWithTemperature } from '../core/softmax.js';
import { seedExamples } from '../examples/index.js';

/** One row of the temperature table. */
export interface TemperatureRow {
  readonly temperature: number;
  readonly probs: Float32Array;
  /** Entropy in nats, as the seed computed it: `-Σ p ln(p + 1e-10)`. */
  readonly entropy: number;
}

/** The temperatures of softmax_with_temperature.py. */
export const SEED_TEMPERATURES = [0.1, 0.5, 1.0, 1.5, 2.0] as const;

/**
 * The seed's temperature table (softmax_with_temperature.py): the five logits at
 * T = 0.1, 0.5, 1, 1.5, 2 with probabilities and entropy.
 *
 * @example
 * temperatureDemo().map((row) => row.entropy.toFixed(2)); // ['0.04', '1.00', '1.39', '1.51', '1.55']
 */
export function temperatureDemo(logits: readonly number[] = seedExamples.temperature_table.logits, temperatures: readonly number[] = SEED_TEMPERATURES): TemperatureRow[] {
  return temperatures.map((temperature) => {
    const probs = softmaxWithTemperature(logits, temperature);
    return { temperature, probs, entropy: entropy(probs, { epsilon: 1e-10 }) };
  });
}
