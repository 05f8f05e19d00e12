import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTarget } from '../../src/audit/auditTarget.js';
import { openAICompatibleTarget } from '../../src/audit/targets/providerTarget.js';
import type { AuditResult, KnobResult } from '../../src/audit/types.js';
import type { KnobsServer } from '../../src/server/server.js';
import { AUDIT_PROMPTS, auditModel, startAuditServer, startProxy, strip, type ProxyRule } from './fixtures.js';

// Gateways that change requests on the way: a proxy in front of knobs serve that drops one
// field, one that rewrites top_p, one that answers 400 to min_p. The audit must name the
// knob that was tampered with, and only that one.

let serve: KnobsServer;
let upstream: string;
const KNOBS = ['temperature', 'top_k', 'top_p', 'min_p', 'presence_penalty', 'seed'];

beforeAll(async () => {
  ({ serve, url: upstream } = await startAuditServer());
});
afterAll(async () => {
  await serve.close(1000);
});

async function auditThrough(rule: ProxyRule, knobs: readonly string[], seed = 0): Promise<AuditResult> {
  const proxy = await startProxy(upstream, rule);
  try {
    const target = await openAICompatibleTarget({ baseURL: `${proxy.url}/v1`, server: 'knobs' });
    return await auditTarget(target, { knobs, seed, prompts: AUDIT_PROMPTS });
  } finally {
    await proxy.close();
  }
}

const verdicts = (result: AuditResult): Record<string, string> => Object.fromEntries(result.knobs.filter((row) => row.setting?.temperature !== 0).map((row) => [row.knob, row.verdict]));
const row = (result: AuditResult, knob: string): KnobResult => result.knobs.find((entry) => entry.knob === knob) as KnobResult;

describe('a proxy that drops one field', () => {
  for (const field of ['top_p', 'min_p', 'presence_penalty']) {
    it(`dropping ${field}: ${field} is ignored, every other knob applied`, async () => {
      const result = await auditThrough(strip(field), KNOBS);
      const expected = Object.fromEntries(KNOBS.map((knob) => [knob, knob === field ? 'ignored' : 'applied']));
      expect(verdicts(result)).toEqual(expected);
      const dropped = row(result, field);
      // "ignored": the draws fit the neutral distribution and reject the knob applied.
      expect(dropped.evidence.ignored?.p_value).toBeGreaterThanOrEqual(1e-4);
      expect(dropped.p_value).toBeLessThan(1e-4);
      expect(result.checks.find((check) => check.check === 'refusals')?.result).toBe(`accepted and silently dropped: ${field}`);
    }, 120_000);
  }
});

describe('a proxy that answers 400 to min_p', () => {
  it('min_p is refused (an error answer, not a silent drop); the others are applied', async () => {
    const rule: ProxyRule = (body) =>
      body.min_p !== undefined ? { status: 400, answer: { error: { message: 'min_p is not supported by this gateway', type: 'invalid_request_error', param: 'min_p', code: null } } } : { forward: body };
    const result = await auditThrough(rule, KNOBS);
    expect(verdicts(result)).toEqual({ temperature: 'applied', top_k: 'applied', top_p: 'applied', min_p: 'refused', presence_penalty: 'applied', seed: 'applied' });
    const refused = row(result, 'min_p');
    expect(refused.evidence.refusal).toEqual({ reason: 'min_p is not supported by this gateway (HTTP 400)', by_server: true });
    expect(refused.n).toBe(1); // one request, then no more
    expect(result.checks.find((check) => check.check === 'refusals')?.result).toBe('refused with an error: min_p');
  }, 120_000);
});

describe('a proxy that rewrites top_p 0.9 into 0.95', () => {
  const rewrite: ProxyRule = (body) => ({ forward: body.top_p === 0.9 ? { ...body, top_p: 0.95 } : body });
  const results: AuditResult[] = [];

  it('is reported as different in at least 19 of 20 seeds, and the draws fit top_p near 0.95', async () => {
    for (let seed = 0; seed < 20; seed++) results.push(await auditThrough(rewrite, ['top_p=0.9'], seed * 1_000_000));
    const topP = results.map((result) => row(result, 'top_p'));
    const different = topP.filter((entry) => entry.verdict === 'different').length;
    process.stdout.write(`top_p 0.9 rewritten to 0.95: ${different} of 20 seeds different; N = ${topP[0]?.n}, position ${JSON.stringify(topP[0]?.evidence.prompt)}\n`);
    expect(different).toBeGreaterThanOrEqual(19);
    for (const entry of topP.filter((item) => item.verdict === 'different')) {
      const fits = (entry.evidence.best_fit?.settings ?? []).map((setting) => setting.top_p as number);
      expect(fits).toContain(0.95);
      expect(fits).not.toContain(0.9);
    }
  }, 300_000);

  it('the power behind it, by hand: a draw outside the 0.9 nucleus rejects top_p 0.9, and N draws miss it with probability (1 - m)^N', () => {
    const plan = row(results[0] as AuditResult, 'top_p');
    const prompt = plan.evidence.prompt;
    // The model's own distribution at the plan's position, from its table (not from the audit).
    const context = prompt?.tokens ?? auditModel.encode(prompt?.text ?? '');
    const logits = auditModel.nextLogits(context) as Float32Array;
    const probabilities = Array.from(logits, Math.exp);
    const total = probabilities.reduce((a, b) => a + b, 0);
    const order = probabilities.map((p, id) => ({ p: p / total, id })).sort((a, b) => b.p - a.p || a.id - b.id);
    const nucleus = (p: number): number => {
      let mass = 0;
      let count = 0;
      for (const entry of order) {
        mass += entry.p;
        count++;
        if (mass >= p) break;
      }
      return count;
    };
    const small = nucleus(0.9);
    const large = nucleus(0.95);
    expect(large).toBeGreaterThan(small); // the two settings differ here
    const keptLarge = order.slice(0, large).reduce((sum, entry) => sum + entry.p, 0);
    const extra = order.slice(small, large).reduce((sum, entry) => sum + entry.p, 0) / keptLarge;
    const missAll = (1 - extra) ** plan.n;
    process.stdout.write(`power against top_p 0.95: m = ${extra.toFixed(4)} of the 0.95 nucleus lies outside the 0.9 nucleus; P(no such draw in ${plan.n}) = ${missAll.toExponential(2)}; P(19 or more of 20 seeds) >= ${(1 - missAll) ** 20 + 20 * missAll * (1 - missAll) ** 19}\n`);
    expect(missAll).toBeLessThan(0.01);
    // The plan says the same in its own terms.
    const resolution = plan.evidence.plan?.resolution as { setting: { top_p: number }; power: number } | undefined;
    expect(resolution?.setting.top_p).toBe(0.95);
    expect(resolution?.power).toBeGreaterThanOrEqual(0.99);
  });
});
