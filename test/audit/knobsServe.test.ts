import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTarget } from '../../src/audit/auditTarget.js';
import { openAICompatibleTarget } from '../../src/audit/targets/providerTarget.js';
import type { AuditResult, AuditTarget } from '../../src/audit/types.js';
import { targetKind } from '../../src/audit/targetKinds.js';
import type { KnobsServer } from '../../src/server/server.js';
import { AUDIT_PROMPTS, startAuditServer } from './fixtures.js';

// knobs serve applies every knob it serves: over 20 audit seeds (20 independent sets of
// request seeds; the positions and plans are the same), every knob row is `applied` at the
// default significance 1e-4 and power 0.999 — no false alarm among 20 × 19 verdicts.

let serve: KnobsServer;
let target: AuditTarget;
const SEEDS = 20;
const results: AuditResult[] = [];

beforeAll(async () => {
  let url: string;
  ({ serve, url } = await startAuditServer());
  target = await openAICompatibleTarget({ baseURL: `${url}/v1`, server: 'knobs' });
});
afterAll(async () => {
  await serve.close(1000);
});

/** A row per knob, for the log: knob, setting, verdict, N, p-values. */
const summary = (result: AuditResult): string =>
  result.knobs
    .map((row) => `${row.knob.padEnd(21)} ${JSON.stringify(row.setting).padEnd(62)} ${row.verdict.padEnd(10)} N=${String(row.n).padStart(4)} p=${row.p_value?.toExponential(1) ?? '-'} p(applied)=${(row.evidence.applied as { p_value: number } | undefined)?.p_value.toFixed(3) ?? '-'}`)
    .join('\n');

describe('knobs audit against knobs serve', () => {
  it('every knob knobs serve serves comes out applied, over 20 seeds, with the checks passing', async () => {
    const started = performance.now();
    for (let seed = 0; seed < SEEDS; seed++) results.push(await auditTarget(target, { seed: seed * 1_000_000, prompts: AUDIT_PROMPTS }));
    const first = results[0] as AuditResult;
    process.stdout.write(`knobs serve, seed 0 (${first.requests} requests):\n${summary(first)}\n${SEEDS} audits in ${((performance.now() - started) / 1000).toFixed(1)} s, ${results.reduce((sum, result) => sum + result.requests, 0)} requests\n`);
    // Every knob of the kind's list has a row, and the temperature-0 check one more.
    expect(first.knobs.map((row) => row.knob)).toEqual([...targetKind('knobs').knobs.slice(0, 1), 'temperature', ...targetKind('knobs').knobs.slice(1)]);
    const wrong = results.flatMap((result, seed) => result.knobs.filter((row) => row.verdict !== 'applied').map((row) => `seed ${seed}: ${row.knob} ${row.verdict}: ${row.evidence.summary}`));
    expect(wrong).toEqual([]);
    for (const result of results) {
      expect(result.checks.find((check) => check.check === 'neutral')?.result).toBe('matches');
      expect(result.checks.find((check) => check.check === 'logprobs')?.result).toBe('before the knobs');
      expect(result.checks.find((check) => check.check === 'refusals')?.result).toBe('none');
    }
    // The p-values of "applied" are spread as a true model's are (uniform): none below 1e-4, and not piled near 1.
    const fits = results.flatMap((result) => result.knobs.flatMap((row) => ((row.evidence.applied as { p_value: number } | undefined) ? [(row.evidence.applied as { p_value: number }).p_value] : [])));
    expect(Math.min(...fits)).toBeGreaterThanOrEqual(1e-4);
    expect(fits.filter((p) => p < 0.5).length / fits.length).toBeGreaterThan(0.3);
  }, 600_000);

  it('seed: the same seed gives the same token; temperature 0 gives one text starting with the most likely token', () => {
    const first = results[0] as AuditResult;
    const seed = first.knobs.find((row) => row.knob === 'seed');
    expect(seed?.verdict).toBe('applied');
    expect(seed?.evidence.matching_pairs).toBe(seed?.evidence.pairs);
    // The chance that unseeded draws agree in every pair, collision^pairs, is below alpha.
    expect((seed?.evidence.collision_probability as number) ** (seed?.evidence.pairs as number)).toBeLessThan(1e-4);
    const greedy = first.knobs.find((row) => row.knob === 'temperature' && row.setting?.temperature === 0);
    expect(greedy?.verdict).toBe('applied');
    expect(greedy?.evidence.distinct_texts).toBe(1);
  });

  it('each request carries its own seed: draws of one knob have consecutive seeds, and another audit seed moves them all', () => {
    const [a, b] = results as [AuditResult, AuditResult];
    const topK = (result: AuditResult) => result.knobs.find((row) => row.knob === 'top_k');
    const seeds = topK(a)?.evidence.seeds as [number, number];
    expect(seeds[1] - seeds[0] + 1).toBe(topK(a)?.n);
    expect((topK(b)?.evidence.seeds as [number, number])[0]).toBe(seeds[0] + 1_000_000);
    // The plan is the seed's business only in the draws: the same position and setting.
    expect(topK(b)?.setting).toEqual(topK(a)?.setting);
    expect(topK(b)?.evidence.prompt).toEqual(topK(a)?.evidence.prompt);
  });
});
