import { KnobsError } from '../core/errors.js';

/**
 * A provider's key is not in the environment. Thrown when the provider is created, before
 * any request, and names the variable to set. Keys are never read from flags or files.
 *
 * @example
 * new MissingApiKeyError('openai', 'OPENAI_API_KEY').message;
 * // "OPENAI_API_KEY is not set: the openai provider reads its API key from the environment. Set OPENAI_API_KEY (or name another variable with --api-key-env NAME)."
 */
export class MissingApiKeyError extends KnobsError {
  override name = 'MissingApiKeyError';
  constructor(
    readonly provider: string,
    readonly variable: string,
  ) {
    super(
      `${variable} is not set: the ${provider} provider reads its API key from the environment. ` +
        `Set ${variable} (or name another variable with --api-key-env NAME).`,
    );
  }
}

/** What went wrong in a provider request that is not a refused setting. */
export type ProviderErrorKind = 'auth' | 'rate_limit' | 'server' | 'timeout' | 'connection' | 'malformed' | 'bad_request' | 'not_found' | 'aborted';

/**
 * A request failed after the SDK's retries: authentication, rate limit, server error,
 * timeout, dropped connection or a body that is not what the API promises. The message
 * says what happened, how many attempts were made and what to do; it never contains a key.
 */
export class ProviderError extends KnobsError {
  override name = 'ProviderError';
  constructor(
    message: string,
    readonly provider: string,
    readonly kind: ProviderErrorKind,
    readonly status?: number,
    readonly attempts?: number,
    /** The wait the server asked for (Retry-After of a 429 or 5xx), in seconds, when it said. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}
