/**
 * Typed errors. Every error the library throws on bad input is a `KnobsError`, and its
 * message names the bad value and the allowed range, so that the CLI can print it as is.
 */

/** Base class of every error this package throws on purpose. */
export class KnobsError extends Error {
  override name = 'KnobsError';
}

/**
 * A parameter is outside its allowed range or of the wrong type.
 *
 * @example
 * throw new InvalidParameterError('top_p.p', 1.5, 'a number in [0, 1]');
 * // message: "top_p.p = 1.5 is out of range: expected a number in [0, 1]"
 */
export class InvalidParameterError extends KnobsError {
  override name = 'InvalidParameterError';
  constructor(
    readonly parameter: string,
    readonly value: unknown,
    readonly allowed: string,
  ) {
    super(`${parameter} = ${formatValue(value)} is out of range: expected ${allowed}`);
  }
}

/** Logits or probabilities that cannot be turned into a distribution (NaN, +Infinity, empty, ...). */
export class InvalidInputError extends KnobsError {
  override name = 'InvalidInputError';
}

/** A chain specification that cannot be parsed (unknown sampler, bad syntax, ...). */
export class ChainSpecError extends KnobsError {
  override name = 'ChainSpecError';
}

/**
 * Renders a value for an error message: numbers as they are, strings quoted, the rest as JSON.
 *
 * @example
 * formatValue('a'); // '"a"'
 * formatValue(0.5); // '0.5'
 * formatValue([1, 2]); // '[1,2]'
 */
export function formatValue(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}
