import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { ProviderError } from './errors.js';
import type { Rejection } from './types.js';

/** How a provider was set up, for error messages. */
export interface FailureContext {
  readonly provider: string;
  /** The environment variable the key came from (named, never the key). */
  readonly keyVariable?: string;
  readonly maxRetries: number;
  readonly timeoutMs: number;
}

interface SdkErrorShape {
  name?: string;
  status?: number;
  message?: string;
  param?: string | null;
  apiMessage?: string | null;
  error?: { message?: unknown; param?: unknown } | null;
  headers?: { get(name: string): string | null } | null;
  cause?: unknown;
}

/**
 * Turns an error of the official `openai` or `@anthropic-ai/sdk` client (after its own
 * retries) into either a `Rejection` (HTTP 400/422: the provider refused the request, so
 * the run goes on with a result that says why) or a `ProviderError` with a message that
 * says what happened, how many attempts were made and what to do. Keys never appear.
 *
 * @example
 * const outcome = classifySdkError(error, { provider: 'openai', keyVariable: 'OPENAI_API_KEY', maxRetries: 2, timeoutMs: 60000 });
 * if (outcome instanceof ProviderError) throw outcome;
 */
export function classifySdkError(error: unknown, context: FailureContext): Rejection | ProviderError {
  const shape = (error ?? {}) as SdkErrorShape;
  const { provider } = context;
  const attempts = context.maxRetries + 1;
  const apiMessage = messageOf(shape);
  if (error instanceof OpenAI.APIUserAbortError || error instanceof Anthropic.APIUserAbortError || shape.name === 'AbortError') {
    return new ProviderError(`${provider}: request aborted by the caller`, provider, 'aborted');
  }
  if (error instanceof OpenAI.APIConnectionTimeoutError || error instanceof Anthropic.APIConnectionTimeoutError) {
    return new ProviderError(`${provider}: no answer within ${context.timeoutMs} ms (${attempts} attempts); check the server or raise the timeout`, provider, 'timeout', undefined, attempts);
  }
  if (error instanceof OpenAI.APIConnectionError || error instanceof Anthropic.APIConnectionError) {
    const cause = describeCause(shape.cause);
    return new ProviderError(`${provider}: connection failed${cause ? ` (${cause})` : ''} after ${attempts} attempts; check the base URL and the network`, provider, 'connection', undefined, attempts);
  }
  if (error instanceof SyntaxError) {
    return new ProviderError(`${provider}: the answer is not valid JSON (${error.message}); the server at the base URL may not speak this API`, provider, 'malformed');
  }
  const status = shape.status;
  if (typeof status !== 'number') {
    const text = error instanceof Error ? error.message : String(error);
    return new ProviderError(`${provider}: ${text}`, provider, 'malformed');
  }
  const shouldRetry = shape.headers?.get('x-should-retry');
  const retried = shouldRetry === 'false' ? 1 : attempts;
  if (status === 400 || status === 422) {
    const param = typeof shape.param === 'string' ? shape.param : typeof shape.error?.param === 'string' ? shape.error.param : 'request';
    return { parameter: param, value: undefined, reason: `rejected by provider: ${apiMessage} (HTTP ${status})` };
  }
  if (status === 401 || status === 403) {
    const variable = context.keyVariable ? `the key in ${context.keyVariable}` : 'the request';
    return new ProviderError(`${provider}: ${variable} was refused (HTTP ${status}): ${apiMessage}`, provider, 'auth', status, 1);
  }
  if (status === 404) return new ProviderError(`${provider}: not found (HTTP 404): ${apiMessage}; check the model name and the base URL`, provider, 'not_found', status, 1);
  const after = retryAfterSeconds(shape.headers?.get('retry-after') ?? null);
  if (status === 429) {
    return new ProviderError(
      `${provider}: rate limited (HTTP 429) after ${retried} attempts${after !== undefined ? `, the server asks to retry after ${after} s` : ''}: ${apiMessage}; lower the concurrency or retry later`,
      provider,
      'rate_limit',
      status,
      retried,
      after,
    );
  }
  if (status >= 500) return new ProviderError(`${provider}: server error (HTTP ${status}) after ${retried} attempts: ${apiMessage}`, provider, 'server', status, retried, after);
  return new ProviderError(`${provider}: HTTP ${status}: ${apiMessage}`, provider, 'bad_request', status, 1);
}

function messageOf(shape: SdkErrorShape): string {
  if (typeof shape.error?.message === 'string') return shape.error.message;
  if (typeof shape.apiMessage === 'string') return shape.apiMessage;
  return (shape.message ?? 'no message').replace(/^\d{3} /, '');
}

function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return '';
  const inner = (cause as { cause?: unknown }).cause;
  const code = inner instanceof Error ? ((inner as NodeJS.ErrnoException).code ?? inner.message) : undefined;
  return code ? `${cause.message}: ${code}` : cause.message;
}


/** Retry-After as seconds: a number of seconds, or an HTTP date (seconds from now, at least 0). */
function retryAfterSeconds(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}
