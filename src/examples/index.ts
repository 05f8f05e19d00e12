import { InvalidInputError } from '../core/errors.js';
import seed from './seed-examples.json' with { type: 'json' };

/** A built-in input: logits with optional token strings. */
export interface Example {
  readonly name: string;
  readonly description: string;
  readonly logits: readonly number[];
  readonly tokens?: readonly string[];
}

/** The seed scripts' reference data (`seed-examples.json`), as shipped with the package. */
export const seedExamples = seed;

const compare = seed.compare_topk_topp.cases;

const EXAMPLES: readonly Example[] = [
  { name: 'softmax-5', description: 'the five logits of softmax.py and softmax_with_temperature.py', logits: seed.softmax_5.logits },
  { name: 'top-p-8', description: 'the 8-token example of top_p_sampling.py', logits: seed.top_p_8.logits, tokens: seed.top_p_8.tokens },
  { name: 'confident', description: 'the confident distribution of compare_topk_topp.py (92.7% on one token)', logits: compare.confident.logits },
  { name: 'uncertain', description: 'the uncertain distribution of compare_topk_topp.py (flat top five)', logits: compare.uncertain.logits },
  { name: 'figure-20', description: 'the 20 logits of visualize_temperature_effects.py', logits: seed.temperature_figure.logits },
];

/**
 * Every built-in example, by name.
 *
 * @example
 * listExamples().map((example) => example.name); // ['softmax-5', 'top-p-8', 'confident', 'uncertain', 'figure-20']
 */
export function listExamples(): readonly Example[] {
  return EXAMPLES;
}

/**
 * A built-in example by name, or a clear error listing the names.
 *
 * @example
 * getExample('top-p-8').tokens; // ['the', 'a', 'one', 'some', 'that', 'this', 'an', 'my']
 */
export function getExample(name: string): Example {
  const example = EXAMPLES.find((candidate) => candidate.name === name);
  if (!example) {
    throw new InvalidInputError(`example ${JSON.stringify(name)} does not exist: expected one of ${EXAMPLES.map((e) => e.name).join(', ')}`);
  }
  return example;
}
