import { KnobsError } from '../core/errors.js';
import type { RunProgress } from '../experiments/runExperiment.js';
import { defaultRetryPolicy, errorKind, type RetryPolicy } from '../experiments/retryPolicy.js';
import { schedule, type LaneLimits } from '../experiments/scheduler.js';
import { requestKey, type AuditStore } from './store.js';
import type { AuditTarget, TargetAnswer, TargetRequest } from './types.js';

/** Requests of an audit failed after their retries: the message says how many and why; `--resume` sends only those. */
export class AuditRequestsError extends KnobsError {
  override name = 'AuditRequestsError';
}

/** Options of `createRequestRunner`. */
export interface RequestRunnerOptions {
  readonly store?: AuditStore;
  readonly signal?: AbortSignal;
  readonly retry?: RetryPolicy;
  /** Overrides the target's own limits (concurrency, requests per minute). */
  readonly limits?: LaneLimits;
  readonly onProgress?: (progress: RunProgress) => void;
  readonly onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
}

/** Sends an audit's requests; counts them for the progress bar. */
export interface RequestRunner {
  /** Answers in request order. Throws `AuditRequestsError` when some failed after their retries (the others are stored). */
  run(requests: readonly TargetRequest[]): Promise<TargetAnswer[]>;
  /** Sets the number of requests the whole audit will send (for the ETA). */
  expect(total: number): void;
  /** Requests answered (sent or found in the store). */
  readonly done: number;
  /** Requests sent to the target in this session (the rest came from the store). */
  readonly sent: number;
}

/**
 * Runs requests through the experiment runner's scheduler: at most `concurrency` in flight
 * and `requestsPerMinute` started per minute (the target's limits, or `limits`), each
 * failed attempt retried as the retry policy says (rate limits pause the lane for the
 * server's Retry-After). With a store, an answer already in it is reused and every new
 * answer is written to it as it arrives, so an audit resumes where it stopped.
 *
 * @example
 * const runner = createRequestRunner(target, { store, onProgress: draw });
 * const answers = await runner.run(requests);
 */
export function createRequestRunner(target: AuditTarget, options: RequestRunnerOptions = {}): RequestRunner {
  const limits = options.limits ?? target.limits;
  const retry = options.retry ?? defaultRetryPolicy();
  const started = performance.now();
  let done = 0;
  let sent = 0;
  let total = 0;
  let sentAnswered = 0;
  const report = (): void => {
    const elapsedMs = performance.now() - started;
    const remaining = Math.max(0, total - done);
    options.onProgress?.({ done, total: Math.max(total, done), resumed: 0, failed: 0, elapsedMs, ...(sentAnswered > 0 ? { etaMs: (elapsedMs / sentAnswered) * remaining } : done >= total ? { etaMs: 0 } : {}) });
  };
  return {
    get done() {
      return done;
    },
    get sent() {
      return sent;
    },
    expect(count: number) {
      total = count;
      report();
    },
    async run(requests) {
      if (done + requests.length > total) total = done + requests.length;
      const answers: (TargetAnswer | undefined)[] = new Array<TargetAnswer | undefined>(requests.length);
      const failures: { index: number; error: unknown }[] = [];
      // Stops starting requests after a fatal error or the caller's abort; requests in flight
      // get a signal of their own (the caller's abort reaches them through one listener).
      const fatal = new AbortController();
      const signal = options.signal ? AbortSignal.any([fatal.signal, options.signal]) : fatal.signal;
      const inFlight = new Set<AbortController>();
      const abortInFlight = (): void => {
        for (const controller of inFlight) controller.abort();
      };
      options.signal?.addEventListener('abort', abortInFlight, { once: true });
      const pending: number[] = [];
      requests.forEach((request, index) => {
        const cached = options.store?.get(requestKey(target.description, request));
        if (cached !== undefined) {
          answers[index] = cached;
          done++;
        } else pending.push(index);
      });
      report();
      await schedule<number, TargetAnswer>(
        pending,
        async (index) => {
          sent++;
          if (!options.signal) return target.send(requests[index] as TargetRequest);
          const controller = new AbortController();
          inFlight.add(controller);
          try {
            return await target.send({ ...(requests[index] as TargetRequest), signal: controller.signal });
          } finally {
            inFlight.delete(controller);
          }
        },
        {
          lane: () => target.label,
          limits: () => limits,
          retry,
          signal,
          onRetry: (_task, attempt, delayMs, error) => options.onRetry?.(attempt, delayMs, error),
          onOutcome: (outcome) => {
            if (outcome.ok) {
              const request = requests[outcome.task] as TargetRequest;
              answers[outcome.task] = outcome.value;
              options.store?.put(requestKey(target.description, request), request, outcome.value);
              done++;
              sentAnswered++;
            } else {
              failures.push({ index: outcome.task, error: outcome.error });
              // An error that retrying cannot mend (a bad key, a wrong model) stops the audit at once.
              if (errorKind(outcome.error) === undefined) fatal.abort();
            }
            report();
          },
        },
      );
      options.signal?.removeEventListener('abort', abortInFlight);
      if (options.signal?.aborted) throw new AuditRequestsError(`the audit was stopped: ${answers.filter((answer) => answer === undefined).length} request(s) not sent; run it again with --out FILE --resume to go on`);
      const first = failures[0];
      if (first !== undefined) {
        const message = first.error instanceof Error ? first.error.message : String(first.error);
        if (first.error instanceof KnobsError && errorKind(first.error) === undefined) throw first.error;
        throw new AuditRequestsError(`${failures.length} request(s) failed after their retries (first: ${message}); run the audit again with --out FILE --resume to send only those`);
      }
      return answers as TargetAnswer[];
    },
  };
}
