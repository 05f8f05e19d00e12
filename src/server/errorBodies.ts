import type { ApiError } from '../http/apiError.js';

/** OpenAI's error types by status. */
function openaiType(status: number): string {
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/**
 * OpenAI's error body: `{ error: { message, type, param, code } }`.
 *
 * @example
 * openaiErrorBody(new ApiError(400, 'bad', { param: 'n' })); // { error: { message: 'bad', type: 'invalid_request_error', param: 'n', code: null } }
 */
export function openaiErrorBody(error: ApiError): { error: { message: string; type: string; param: string | null; code: string | null } } {
  return { error: { message: error.message, type: openaiType(error.status), param: error.param, code: error.code } };
}

const ANTHROPIC_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  405: 'invalid_request_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  503: 'api_error',
  529: 'overloaded_error',
};

/**
 * Anthropic's error body: `{ type: "error", error: { type, message } }`. Anthropic has no
 * `param`; the message names the field (`temperature: ...`).
 *
 * @example
 * anthropicErrorBody(new ApiError(401, 'missing key')); // { type: 'error', error: { type: 'authentication_error', message: 'missing key' } }
 */
export function anthropicErrorBody(error: ApiError): { type: 'error'; error: { type: string; message: string } } {
  const type = ANTHROPIC_TYPES[error.status] ?? (error.status >= 500 ? 'api_error' : 'invalid_request_error');
  const message = error.param && !error.message.startsWith(error.param) ? `${error.param}: ${error.message}` : error.message;
  return { type: 'error', error: { type, message } };
}
