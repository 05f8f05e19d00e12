import { ProviderError } from '../providers/errors.js';

/** What to do after a failed attempt. */
export interface RetryDecision {
  readonly retry: boolean;
  /** Wait this long before the next attempt. */
  readonly delayMs: number;
  /** Whether every request to the same provider should wait too (a rate limit). */
  readonly pauseLane: boolean;
}

/** Decides, from an error and the attempt number (1 = first), whether and when to try again. */
export type RetryPolicy = (error: unknown, attempt: number) => RetryDecision;

/** Options of `defaultRetryPolicy`. */
export interface RetryOptions {
  /** Attempts per job in all (default 5: one try and four retries). */
  readonly maxAttempts?: number;
  /** First backoff in ms (default 1000); doubled after every failure. */
  readonly baseDelayMs?: number;
  /** Longest backoff and longest Retry-After honoured, in ms (default 60 000). */
  readonly maxDelayMs?: number;
  /** Random source for jitter (default Math.random). */
  readonly random?: () => number;
}

const RETRYABLE_KINDS = new Set(['rate_limit', 'server', 'timeout', 'connection']);
const RETRYABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * The runner's retry rule. Rate limits (429), server errors (5xx), timeouts and dropped
 * connections are retried; everything else (a bad key, a bad request, a refused model)
 * fails at once. The wait is the server's `Retry-After` when the error carries one (see
 * `retryAfterMs`), else exponential backoff `base · 2^(attempt-1)` with ±25 % jitter,
 * capped at `maxDelayMs`. A rate limit pauses the whole provider lane, so concurrent
 * requests do not keep hitting the limit. The SDKs retry single requests too; this rule
 * retries the job after those have given up.
 *
 * @example
 * const policy = defaultRetryPolicy({ maxAttempts: 3 });
 * policy(new ProviderError('429', 'openai', 'rate_limit', 429), 1); // { retry: true, delayMs: ≈1000, pauseLane: true }
 */
export function defaultRetryPolicy(options: RetryOptions = {}): RetryPolicy {
  const maxAttempts = options.maxAttempts ?? 5;
  const base = options.baseDelayMs ?? 1000;
  const cap = options.maxDelayMs ?? 60_000;
  const random = options.random ?? Math.random;
  return (error, attempt) => {
    const kind = errorKind(error);
    if (kind === undefined || attempt >= maxAttempts) return { retry: false, delayMs: 0, pauseLane: false };
    const told = retryAfterMs(error);
    const backoff = base * 2 ** (attempt - 1) * (0.75 + 0.5 * random());
    return { retry: true, delayMs: Math.round(Math.min(cap, told ?? backoff)), pauseLane: kind === 'rate_limit' };
  };
}

/** `rate_limit`, `server`, `timeout`, `connection` for errors worth retrying, else undefined. */
export function errorKind(error: unknown): string | undefined {
  if (error instanceof ProviderError) return RETRYABLE_KINDS.has(error.kind) ? error.kind : undefined;
  const status = statusOf(error);
  if (status === 429) return 'rate_limit';
  if (status !== undefined && status >= 500) return 'server';
  if (status === 408) return 'timeout';
  const code = (error as { code?: unknown; cause?: { code?: unknown } } | null)?.code ?? (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  if (typeof code === 'string' && RETRYABLE_CODES.has(code)) return 'connection';
  return undefined;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * The wait a server asked for, in ms, from an error: a `ProviderError`'s
 * `retryAfterSeconds` (the providers read Retry-After into it), a numeric `retryAfterMs`
 * field, or the `retry-after-ms` / `retry-after` header (seconds or an HTTP date) of
 * `error.headers` (a `Headers` or a plain object, as the OpenAI and Anthropic SDKs give),
 * looking through `error.cause` too. Undefined when there is none or it cannot be read.
 *
 * @example
 * retryAfterMs({ headers: { 'retry-after': '2' } }); // 2000
 */
export function retryAfterMs(error: unknown, now = Date.now()): number | undefined {
  for (let current = error, depth = 0; current !== null && typeof current === 'object' && depth < 4; depth++) {
    const record = current as { retryAfterMs?: unknown; retryAfterSeconds?: unknown; headers?: unknown; cause?: unknown };
    if (typeof record.retryAfterMs === 'number' && Number.isFinite(record.retryAfterMs) && record.retryAfterMs >= 0) return record.retryAfterMs;
    if (typeof record.retryAfterSeconds === 'number' && Number.isFinite(record.retryAfterSeconds) && record.retryAfterSeconds >= 0) return record.retryAfterSeconds * 1000;
    const ms = header(record.headers, 'retry-after-ms');
    if (ms !== undefined && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms);
    const after = header(record.headers, 'retry-after');
    if (after !== undefined) {
      const seconds = Number(after);
      if (after.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
      const date = Date.parse(after);
      if (Number.isFinite(date)) return Math.max(0, date - now);
    }
    current = record.cause;
  }
  return undefined;
}

function header(headers: unknown, name: string): string | undefined {
  if (headers === null || typeof headers !== 'object') return undefined;
  const get = (headers as { get?: unknown }).get;
  if (typeof get === 'function') {
    const value = (get as (key: string) => unknown).call(headers, name);
    return typeof value === 'string' ? value : undefined;
  }
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name && typeof value === 'string') return value;
  return undefined;
}
