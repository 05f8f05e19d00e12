import { InvalidParameterError } from '../core/errors.js';
import { MissingApiKeyError } from './errors.js';

/**
 * Reads an API key from the environment variable `variable`, or throws a
 * `MissingApiKeyError` naming that variable. The key is returned to be handed to an SDK
 * and nothing else: never print it, log it or write it to results.
 *
 * @example
 * const key = readApiKey('openai', 'OPENAI_API_KEY', process.env);
 */
export function readApiKey(provider: string, variable: string, env: NodeJS.ProcessEnv = process.env): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) {
    throw new InvalidParameterError('--api-key-env', variable, 'the name of an environment variable (letters, digits and _)');
  }
  const value = env[variable];
  if (value === undefined || value.trim() === '') throw new MissingApiKeyError(provider, variable);
  return value.trim();
}
