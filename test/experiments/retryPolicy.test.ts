import { describe, expect, it } from 'vitest';
import { defaultRetryPolicy, errorKind, retryAfterMs } from '../../src/experiments/retryPolicy.js';
import { ProviderError } from '../../src/providers/errors.js';

const half = (): number => 0.5; // jitter factor 0.75 + 0.5 * 0.5 = 1

describe('defaultRetryPolicy', () => {
  it('backs off 1 s, 2 s, 4 s, 8 s and gives up after 5 attempts', () => {
    const policy = defaultRetryPolicy({ random: half });
    const error = new ProviderError('server error', 'openai', 'server', 500);
    expect([1, 2, 3, 4].map((attempt) => policy(error, attempt).delayMs)).toEqual([1000, 2000, 4000, 8000]);
    expect(policy(error, 5).retry).toBe(false);
  });

  it('jitters within ±25 %', () => {
    const error = new ProviderError('timeout', 'openai', 'timeout');
    expect(defaultRetryPolicy({ random: () => 0 })(error, 1).delayMs).toBe(750);
    expect(defaultRetryPolicy({ random: () => 1 })(error, 1).delayMs).toBe(1250);
  });

  it('waits what Retry-After says and pauses the lane on a rate limit', () => {
    const error = Object.assign(new ProviderError('429', 'openai', 'rate_limit', 429), { retryAfterMs: 3500 });
    expect(defaultRetryPolicy({ random: half })(error, 1)).toEqual({ retry: true, delayMs: 3500, pauseLane: true });
  });

  it('caps the wait at maxDelayMs', () => {
    const error = { status: 429, headers: { 'retry-after': '600' } };
    expect(defaultRetryPolicy({ maxDelayMs: 60_000 })(error, 1).delayMs).toBe(60_000);
  });

  it('does not retry a bad key, a bad request or an unknown model', () => {
    const policy = defaultRetryPolicy();
    for (const kind of ['auth', 'bad_request', 'not_found', 'malformed', 'aborted'] as const) {
      expect(policy(new ProviderError(kind, 'openai', kind), 1).retry).toBe(false);
    }
    expect(policy(new Error('boom'), 1).retry).toBe(false);
  });
});

describe('errorKind', () => {
  it('classifies HTTP statuses and socket errors', () => {
    expect(errorKind({ status: 429 })).toBe('rate_limit');
    expect(errorKind({ status: 503 })).toBe('server');
    expect(errorKind({ status: 408 })).toBe('timeout');
    expect(errorKind({ status: 400 })).toBeUndefined();
    expect(errorKind(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe('connection');
    expect(errorKind({ cause: { code: 'ECONNREFUSED' } })).toBe('connection');
  });
});

describe('retryAfterMs', () => {
  it('reads seconds, milliseconds and HTTP dates, from Headers or plain objects, through causes', () => {
    expect(retryAfterMs({ headers: { 'Retry-After': '2' } })).toBe(2000);
    expect(retryAfterMs({ headers: new Headers({ 'retry-after-ms': '250' }) })).toBe(250);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs({ headers: { 'retry-after': 'Wed, 01 Jan 2025 00:00:07 GMT' } }, now)).toBe(7000);
    expect(retryAfterMs({ cause: { retryAfterMs: 40 } })).toBe(40);
    expect(retryAfterMs({ headers: { 'retry-after': 'soon' } })).toBeUndefined();
    expect(retryAfterMs(new Error('x'))).toBeUndefined();
  });
});

describe('retryAfterMs of a ProviderError', () => {
  it('reads the Retry-After the provider kept, in seconds', () => {
    const error = new ProviderError('openai: rate limited (HTTP 429) after 3 attempts, the server asks to retry after 2 s: slow down', 'openai', 'rate_limit', 429, 3, 2);
    expect(retryAfterMs(error)).toBe(2000);
    expect(defaultRetryPolicy()(error, 1)).toEqual({ retry: true, delayMs: 2000, pauseLane: true });
    expect(retryAfterMs(new ProviderError('x', 'openai', 'rate_limit', 429, 3))).toBeUndefined();
  });
});
