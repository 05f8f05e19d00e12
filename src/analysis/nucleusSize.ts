import { createSampler } from '../samplers/chain.js';

/**
 * Nucleus size: how many tokens top-p keeps after temperature `temperature`, applied in the
 * seed's order (`[{temperature}, {top_p: p}]`, the `knobs` profile).
 *
 * @example
 * nucleusSize(new Float32Array([3, 2.5, 2, 1, 0.5, 0, -0.5, -1]), 1, 0.9); // 4
 */
export function nucleusSize(logits: Float32Array, temperature: number, p: number): number {
  const after = createSampler([{ temperature }, { top_p: p }]).distribution(logits);
  let kept = 0;
  for (let i = 0; i < after.length; i++) if ((after[i] as number) > 0) kept++;
  return kept;
}
