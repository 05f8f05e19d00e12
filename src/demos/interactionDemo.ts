import type { InteractionBand } from '../charts/interactionBands.js';
import { nucleusSize } from '../analysis/nucleusSize.js';
import { Rng } from '../samplers/rng.js';
import { seedExamples } from '../examples/index.js';

/** The temperatures of temp_topp_interaction.py. */
export const INTERACTION_TEMPERATURES = [0.3, 0.5, 0.7, 1.0, 1.3] as const;

/** Nucleus size at each temperature over many seeds (the rows of the interaction figure). */
export type InteractionSummary = InteractionBand;

/**
 * The seed's logits for one draw: `count` standard normals × 2 from `Rng(seed)`, sorted
 * descending.
 *
 * @example
 * const logits = gaussianLogits(0); // 100 values, largest first
 * logits[0] >= logits[99]; // true
 */
export function gaussianLogits(seed: number, count = 100, scale = 2): Float32Array {
  const rng = new Rng(seed);
  const logits = new Float32Array(count);
  for (let i = 0; i < count; i++) logits[i] = rng.nextGaussian() * scale;
  return logits.sort().reverse();
}


function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return (sorted[lower] as number) + ((sorted[upper] as number) - (sorted[lower] as number)) * (position - lower);
}

/**
 * The seed's temperature × top-p interaction (temp_topp_interaction.py), done properly:
 * nucleus size at p = 0.9 on 100 Gaussian logits × 2 at T = 0.3 ... 1.3, over `seeds`
 * seeded draws (median and spread), beside the original's published single run.
 *
 * @example
 * interactionDemo({ seeds: 1000 }).map((row) => row.median); // about [2, 5, 11, 27, 42]
 */
export function interactionDemo(options: { seeds?: number; firstSeed?: number; p?: number } = {}): InteractionSummary[] {
  const seeds = options.seeds ?? 1000;
  const firstSeed = options.firstSeed ?? 0;
  const p = options.p ?? 0.9;
  const sizes = INTERACTION_TEMPERATURES.map(() => [] as number[]);
  for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
    const logits = gaussianLogits(seed);
    INTERACTION_TEMPERATURES.forEach((temperature, index) => (sizes[index] as number[]).push(nucleusSize(logits, temperature, p)));
  }
  const published = seedExamples.temp_topp_interaction.published_example_run as Record<string, number>;
  return INTERACTION_TEMPERATURES.map((temperature, index) => {
    const values = sizes[index] as number[];
    const sorted = [...values].sort((a, b) => a - b);
    return {
      temperature,
      firstDraw: values[0] as number,
      median: quantile(sorted, 0.5),
      p5: quantile(sorted, 0.05),
      p25: quantile(sorted, 0.25),
      p75: quantile(sorted, 0.75),
      p95: quantile(sorted, 0.95),
      published: published[temperature.toFixed(1)] as number,
    };
  });
}
