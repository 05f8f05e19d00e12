import { describe, expect, it } from 'vitest';
import { defaultRetryPolicy } from '../../src/experiments/retryPolicy.js';
import { schedule, type TaskOutcome } from '../../src/experiments/scheduler.js';
import { ProviderError } from '../../src/providers/errors.js';

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('schedule', () => {
  it('never has more than `concurrency` tasks of a lane in flight, and lanes run side by side', async () => {
    const inFlight = new Map<string, number>();
    const peak = new Map<string, number>();
    const outcomes: TaskOutcome<{ lane: string; id: number }, number>[] = [];
    const tasks = [...Array(12).keys()].map((id) => ({ lane: id % 3 === 0 ? 'slow' : 'fast', id }));
    await schedule(
      tasks,
      async (task) => {
        inFlight.set(task.lane, (inFlight.get(task.lane) ?? 0) + 1);
        peak.set(task.lane, Math.max(peak.get(task.lane) ?? 0, inFlight.get(task.lane) as number));
        await wait(15);
        inFlight.set(task.lane, (inFlight.get(task.lane) as number) - 1);
        return task.id;
      },
      { lane: (task) => task.lane, limits: (lane) => ({ concurrency: lane === 'slow' ? 1 : 3 }), onOutcome: (outcome) => outcomes.push(outcome) },
    );
    expect(peak.get('slow')).toBe(1);
    expect(peak.get('fast')).toBe(3);
    expect(outcomes.map((outcome) => (outcome.ok ? outcome.value : -1)).sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
  });

  it('spaces starts 60000 / rpm ms apart', async () => {
    const starts: number[] = [];
    await schedule(
      [1, 2, 3, 4],
      async () => {
        starts.push(performance.now());
      },
      { lane: () => 'a', limits: () => ({ concurrency: 4, requestsPerMinute: 1200 }), onOutcome: () => {} }, // 50 ms apart
    );
    const gaps = starts.slice(1).map((start, index) => start - (starts[index] as number));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(45);
  });

  it('retries a failed attempt after the wait the server asked for, and reports the attempts', async () => {
    const attempts: number[] = [];
    const retries: number[] = [];
    const outcomes: TaskOutcome<string, string>[] = [];
    const started = performance.now();
    await schedule(
      ['job'],
      async (_task, attempt) => {
        attempts.push(attempt);
        if (attempt < 3) throw Object.assign(new ProviderError('rate limited', 'openai', 'rate_limit', 429), { retryAfterMs: 40 });
        return 'done';
      },
      { lane: () => 'a', limits: () => ({ concurrency: 1 }), onOutcome: (outcome) => outcomes.push(outcome), onRetry: (_task, _attempt, delay) => retries.push(delay) },
    );
    expect(attempts).toEqual([1, 2, 3]);
    expect(retries).toEqual([40, 40]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
    expect(outcomes).toEqual([{ task: 'job', ok: true, value: 'done', attempts: 3 }]);
  });

  it('pauses the whole lane on a rate limit', async () => {
    const starts: [string, number][] = [];
    let limited = false;
    const t0 = performance.now();
    await schedule(
      ['a', 'b'],
      async (task) => {
        starts.push([task, performance.now() - t0]);
        if (task === 'a' && !limited) {
          limited = true;
          throw Object.assign(new ProviderError('429', 'openai', 'rate_limit', 429), { retryAfterMs: 80 });
        }
        await wait(5);
      },
      { lane: () => 'a', limits: () => ({ concurrency: 1 }), onOutcome: () => {} },
    );
    // b, queued behind a on the same lane, starts only after the 80 ms pause.
    const b = starts.find(([task]) => task === 'b')?.[1] ?? 0;
    expect(b).toBeGreaterThanOrEqual(75);
  });

  it('gives up at once on an error that is not worth retrying', async () => {
    const outcomes: TaskOutcome<string, never>[] = [];
    const error = new ProviderError('bad key', 'openai', 'auth', 401);
    await schedule(
      ['x'],
      async () => {
        throw error;
      },
      { lane: () => 'a', limits: () => ({ concurrency: 1 }), retry: defaultRetryPolicy(), onOutcome: (outcome) => outcomes.push(outcome) },
    );
    expect(outcomes).toEqual([{ task: 'x', ok: false, error, attempts: 1 }]);
  });

  it('after an abort starts nothing new and gives no outcome to tasks not started', async () => {
    const controller = new AbortController();
    const ran: number[] = [];
    await schedule(
      [1, 2, 3, 4, 5],
      async (task) => {
        ran.push(task);
        if (task === 2) controller.abort();
        await wait(5);
        return task;
      },
      { lane: () => 'a', limits: () => ({ concurrency: 1 }), signal: controller.signal, onOutcome: () => {} },
    );
    expect(ran).toEqual([1, 2]);
  });
});
