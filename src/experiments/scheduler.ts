import { defaultRetryPolicy, type RetryPolicy } from './retryPolicy.js';

/** Limits of one lane (one provider target): how many requests at once, and how many per minute. */
export interface LaneLimits {
  /** Requests in flight at once (>= 1). */
  readonly concurrency: number;
  /** Request starts per minute; absent or 0 means no limit. */
  readonly requestsPerMinute?: number;
}

/** How one task ended. */
export type TaskOutcome<T, R> =
  | { readonly task: T; readonly ok: true; readonly value: R; readonly attempts: number }
  | { readonly task: T; readonly ok: false; readonly error: unknown; readonly attempts: number };

/** Options of `schedule`. */
export interface ScheduleOptions<T, R> {
  /** The lane a task belongs to (tasks of different lanes run independently). */
  readonly lane: (task: T) => string;
  readonly limits: (lane: string) => LaneLimits;
  readonly retry?: RetryPolicy;
  /** Stops starting new tasks; tasks in flight finish (they get the signal too). */
  readonly signal?: AbortSignal;
  /** Called as soon as each task ends (before the next starts in that slot). */
  readonly onOutcome: (outcome: TaskOutcome<T, R>) => void;
  /** Called before waiting to retry. */
  readonly onRetry?: (task: T, attempt: number, delayMs: number, error: unknown) => void;
  /** Waits `ms`; resolves early when `signal` aborts (replaceable in tests). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly now?: () => number;
}

class Lane<T> {
  readonly queue: T[] = [];
  nextStart = 0;
  pausedUntil = 0;
  constructor(readonly limits: LaneLimits) {}
}

/**
 * Runs tasks with per-lane limits: at most `concurrency` in flight per lane, starts
 * spaced `60 000 / requestsPerMinute` ms apart, failed attempts retried as the retry
 * policy says (a rate limit pauses the whole lane for the wait the server asked for).
 * Tasks of one lane start in the order given. `onOutcome` is called once per task, as it
 * ends; `run` gets the attempt number (1 = first try). Resolves when every task has an
 * outcome, or, after `signal` aborts, when the tasks in flight have ended.
 *
 * @example
 * await schedule(jobs, (job) => provider.complete(request(job)), {
 *   lane: (job) => job.target.provider, limits: () => ({ concurrency: 4, requestsPerMinute: 500 }),
 *   onOutcome: (outcome) => store(outcome),
 * });
 */
export async function schedule<T, R>(tasks: readonly T[], run: (task: T, attempt: number) => Promise<R>, options: ScheduleOptions<T, R>): Promise<void> {
  const retry = options.retry ?? defaultRetryPolicy();
  const sleep = options.sleep ?? abortableSleep;
  const now = options.now ?? Date.now;
  const lanes = new Map<string, Lane<T>>();
  for (const task of tasks) {
    const name = options.lane(task);
    let lane = lanes.get(name);
    if (!lane) {
      lane = new Lane<T>(options.limits(name));
      lanes.set(name, lane);
    }
    lane.queue.push(task);
  }
  const aborted = (): boolean => options.signal?.aborted === true;

  const waitForSlot = async (lane: Lane<T>): Promise<void> => {
    const rpm = lane.limits.requestsPerMinute ?? 0;
    const interval = rpm > 0 ? 60_000 / rpm : 0;
    while (!aborted()) {
      const current = now();
      const at = Math.max(current, lane.nextStart, lane.pausedUntil);
      if (at <= current) {
        lane.nextStart = current + interval;
        return;
      }
      // Several workers may wake for one slot: the first takes it, the others wait again.
      await sleep(at - current, options.signal);
    }
  };

  const worker = async (lane: Lane<T>): Promise<void> => {
    while (!aborted()) {
      const task = lane.queue.shift();
      if (task === undefined) return;
      for (let attempt = 1; ; attempt++) {
        await waitForSlot(lane);
        if (aborted()) return; // not started: no outcome, so a resumed run does it
        try {
          const value = await run(task, attempt);
          options.onOutcome({ task, ok: true, value, attempts: attempt });
          break;
        } catch (error) {
          const decision = aborted() ? { retry: false, delayMs: 0, pauseLane: false } : retry(error, attempt);
          if (!decision.retry) {
            options.onOutcome({ task, ok: false, error, attempts: attempt });
            break;
          }
          options.onRetry?.(task, attempt, decision.delayMs, error);
          if (decision.pauseLane) lane.pausedUntil = Math.max(lane.pausedUntil, now() + decision.delayMs);
          await sleep(decision.delayMs, options.signal);
          if (aborted()) {
            options.onOutcome({ task, ok: false, error, attempts: attempt });
            break;
          }
        }
      }
    }
  };

  const workers: Promise<void>[] = [];
  for (const lane of lanes.values()) {
    const count = Math.max(1, Math.min(Math.floor(lane.limits.concurrency), lane.queue.length));
    for (let i = 0; i < count; i++) workers.push(worker(lane));
  }
  await Promise.all(workers);
}

/** `setTimeout` as a promise that resolves early (without error) when the signal aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
