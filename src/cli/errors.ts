import { KnobsError } from '../core/errors.js';

/** A usage error of the command line (bad flag combination, missing input). */
export class UsageError extends KnobsError {
  override name = 'UsageError';
}
