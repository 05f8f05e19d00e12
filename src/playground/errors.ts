import { KnobsError } from '../core/errors.js';

/**
 * A request to the playground's JSON API that cannot be served: an unknown model, a bad
 * body, a missing key. `status` is the HTTP status the server answers with; the message
 * names the bad value and what was expected, and is sent to the page as `{"error": ...}`.
 *
 * @example
 * throw new PlaygroundRequestError(404, 'model "nope" does not exist: expected one of embedded');
 */
export class PlaygroundRequestError extends KnobsError {
  override name = 'PlaygroundRequestError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
