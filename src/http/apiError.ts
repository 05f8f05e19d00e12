import { KnobsError } from '../core/errors.js';

/**
 * An HTTP request that cannot be served, for every server of the package (`knobs serve`,
 * `knobs playground`): the status to answer with, a message that names the bad value and
 * what was expected, and, for APIs that report them, the request field at fault (`param`)
 * and a machine-readable `code`. Each server renders it in its own body shape (OpenAI's
 * `{error: {message, type, param, code}}`, Anthropic's `{type: "error", error}`, the
 * playground's `{error: message}`).
 *
 * @example
 * throw new ApiError(400, 'temperature = 3 is out of range: expected a number in [0, 2]', { param: 'temperature' });
 */
export class ApiError extends KnobsError {
  override name = 'ApiError';
  readonly param: string | null;
  readonly code: string | null;
  constructor(
    readonly status: number,
    message: string,
    details: { param?: string | null; code?: string | null } = {},
  ) {
    super(message);
    this.param = details.param ?? null;
    this.code = details.code ?? null;
  }
}
