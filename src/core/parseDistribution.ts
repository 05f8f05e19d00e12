import { InvalidInputError, formatValue } from './errors.js';
import { validateLogits, validateProbabilities } from './validate.js';

/** Logits read from text, with the token strings when the input named them. */
export interface ParsedDistribution {
  readonly logits: Float32Array;
  readonly tokens?: string[];
}

const MAX_INPUT = 64 * 1024 * 1024;

/**
 * Reads logits or probabilities from JSON text: either an array of numbers, or an object
 * `{"logits": [...], "tokens": [...]}` (`"probs"` when `kind` is `'probs'`). Logits may be
 * `null` or the string `"-Infinity"` for a removed token (JSON has no infinities).
 * Probabilities must be in [0, 1] and sum to 1 within 1e-3; their natural logs become the
 * logits (0 → `-Infinity`). Every problem is an `InvalidInputError` naming the value.
 *
 * @example
 * parseDistribution('[2, 1, 0]', 'logits').logits; // Float32Array [2, 1, 0]
 * parseDistribution('{"probs": [0.5, 0.5], "tokens": ["a", "b"]}', 'probs').tokens; // ['a', 'b']
 */
export function parseDistribution(text: string, kind: 'logits' | 'probs'): ParsedDistribution {
  if (text.length > MAX_INPUT) throw new InvalidInputError(`${kind} input is ${text.length} characters: expected at most ${MAX_INPUT}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(`${kind} input is not valid JSON (${(error as Error).message}): expected an array of numbers or {"${kind}": [...], "tokens": [...]}`);
  }
  let values: unknown = value;
  let tokens: unknown;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    values = record[kind];
    tokens = record.tokens;
    if (values === undefined) {
      throw new InvalidInputError(`${kind} input object has no "${kind}" array: expected {"${kind}": [...], "tokens": [...]}`);
    }
  }
  if (!Array.isArray(values)) {
    throw new InvalidInputError(`${kind} = ${formatValue(values)}: expected an array of numbers`);
  }
  const numbers = new Float64Array(values.length);
  values.forEach((entry, index) => {
    if (typeof entry === 'number') numbers[index] = entry;
    else if (kind === 'logits' && (entry === null || entry === '-Infinity')) numbers[index] = -Infinity;
    else throw new InvalidInputError(`${kind}[${index}] = ${formatValue(entry)} is not a number: expected a finite number${kind === 'logits' ? ' (or null / "-Infinity" for a removed token)' : ' in [0, 1]'}`);
  });
  let tokenList: string[] | undefined;
  if (tokens !== undefined) {
    if (!Array.isArray(tokens) || tokens.length !== values.length || !tokens.every((token) => typeof token === 'string')) {
      throw new InvalidInputError(`tokens = ${formatValue(tokens)}: expected ${values.length} strings, one per ${kind === 'logits' ? 'logit' : 'probability'}`);
    }
    tokenList = tokens as string[];
  }
  let logits: Float32Array;
  if (kind === 'probs') {
    validateProbabilities(numbers, 'probs', 1e-3);
    logits = new Float32Array(numbers.length);
    for (let i = 0; i < numbers.length; i++) logits[i] = Math.log(numbers[i] as number);
  } else {
    logits = Float32Array.from(numbers);
    for (let i = 0; i < numbers.length; i++) {
      if (Number.isFinite(numbers[i]) && !Number.isFinite(logits[i])) {
        throw new InvalidInputError(`logits[${i}] = ${numbers[i]} is out of range: expected a magnitude below 3.4e38 (float32)`);
      }
    }
  }
  validateLogits(logits, kind === 'probs' ? 'log(probs)' : 'logits');
  return tokenList ? { logits, tokens: tokenList } : { logits };
}
