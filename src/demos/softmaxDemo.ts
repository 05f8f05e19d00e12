import { softmax } from '../core/softmax.js';
import { seedExamples } from '../examples/index.js';
import { formatNumpyArray } from './numpyFormat.js';

/** The seed's first demonstration (softmax.py): five logits into probabilities. */
export interface SoftmaxDemo {
  readonly logits: readonly number[];
  readonly probs: Float32Array;
  /** The line the original script printed, reproduced: `Probabilities: [0.429 0.26  0.158 0.096 0.058]`. */
  readonly printed: string;
}

/**
 * Softmax of the seed's logits [2, 1.5, 1, 0.5, 0].
 *
 * @example
 * softmaxDemo().printed; // "Probabilities: [0.429 0.26  0.158 0.096 0.058]"
 */
export function softmaxDemo(): SoftmaxDemo {
  const logits = seedExamples.softmax_5.logits;
  const probs = softmax(logits);
  return { logits, probs, printed: `Probabilities: ${formatNumpyArray(probs, 3)}` };
}
