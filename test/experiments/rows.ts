import type { ResultRow } from '../../src/experiments/resultRow.js';
import type { TokenInfo } from '../../src/providers/types.js';

let ordinal = 0;

/** A results row for tests: the fields that matter, the rest filled in. */
export function row(fields: Partial<ResultRow> & { text: string | null }): ResultRow {
  return {
    type: 'completion',
    key: `k${ordinal}`,
    ordinal: ordinal++,
    experiment: 'test',
    prompt_id: 'p1',
    prompt: 'The robot looked at the sunset and felt',
    provider: 'local',
    model: 'embedded',
    label: 'local/embedded',
    settings: { temperature: 0 },
    index: 0,
    status: 'ok',
    notes: [],
    latency_ms: 10,
    sent: {},
    attempts: 1,
    started_at: '2026-01-01T00:00:00.000Z',
    finished_at: '2026-01-01T00:00:01.000Z',
    ...fields,
  };
}

/** Tokens that spell `parts`, each with a log-probability. */
export function tokens(parts: readonly [string, number, ([string, number][] | undefined)?][]): TokenInfo[] {
  return parts.map(([token, logprob, top]) => ({ token, logprob, ...(top ? { top: top.map(([t, l]) => ({ token: t, logprob: l })) } : {}) }));
}
