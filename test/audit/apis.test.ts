import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTarget } from '../../src/audit/auditTarget.js';
import { anthropicTarget, openAITarget, providerTarget } from '../../src/audit/targets/providerTarget.js';
import type { RunPreview } from '../../src/experiments/preview.js';
import { modelCatalog } from '../../src/models/catalog.js';
import { createProvider } from '../../src/providers/index.js';
import { createKnobsServer, type KnobsServer } from '../../src/server/server.js';
import { AUDIT_PROMPTS, auditModel } from './fixtures.js';

// The OpenAI and Anthropic APIs cannot be reached here: their targets are exercised with the
// official SDKs (openai, @anthropic-ai/sdk, inside the providers) against knobs serve's
// OpenAI and Anthropic routes, which answer as those APIs do.

let serve: KnobsServer;
let url: string;
const requests: string[] = [];
const env = { OPENAI_API_KEY: 'sk-test', ANTHROPIC_API_KEY: 'sk-ant-test' };

beforeAll(async () => {
  serve = createKnobsServer({ catalog: modelCatalog({ tiny: auditModel }), host: '127.0.0.1', port: 0, log: (line) => requests.push(line) });
  ({ url } = await serve.listen());
});
afterAll(async () => {
  await serve.close(1000);
});

describe('the OpenAI API as a target (openai SDK, chat completions with top log-probabilities)', () => {
  it('without an engine profile, verdicts only for knobs whose effect is the same in every engine', async () => {
    const target = openAITarget({ model: 'tiny', baseURL: `${url}/v1`, env });
    expect(target.paid).toBe(false); // a loopback address costs nothing
    const result = await auditTarget(target, { prompts: AUDIT_PROMPTS });
    const verdicts = Object.fromEntries(result.knobs.map((row) => [`${row.knob}${row.setting?.temperature === 0 ? '=0' : ''}`, row.verdict]));
    expect(verdicts).toEqual({ temperature: 'applied', 'temperature=0': 'applied', top_p: 'untestable', presence_penalty: 'untestable', frequency_penalty: 'untestable', logit_bias: 'untestable', seed: 'applied' });
    expect(result.knobs.find((row) => row.knob === 'top_p')?.evidence.summary).toMatch(/^no engine profile for openai/);
    expect(result.knobs.find((row) => row.knob === 'logit_bias')?.evidence.summary).toMatch(/names a token id, and openai\/tiny's answers name no token ids/);
    expect(result.settings.profile).toBeNull();
  }, 120_000);

  it('a paid target previews its requests and can be cancelled before any knob request is sent', async () => {
    const provider = createProvider('openai', { baseURL: `${url}/v1`, env, maxRetries: 0 });
    const target = providerTarget({ provider, model: 'tiny', kind: 'openai', label: 'openai/tiny (paid)', description: { provider: 'openai', model: 'tiny' }, paid: true });
    const before = requests.length;
    let seen: RunPreview | undefined;
    const cancel = async (preview: RunPreview): Promise<void> => {
      seen = preview;
      throw new Error('cancelled');
    };
    await expect(auditTarget(target, { prompts: AUDIT_PROMPTS, confirm: cancel })).rejects.toThrow('cancelled');
    expect(seen?.paid).toBe(seen?.pending);
    expect(seen?.pending).toBeGreaterThan(100);
    // Only the neutral probes went out: one per prompt.
    expect(requests.length - before).toBe(AUDIT_PROMPTS.length);
  }, 60_000);
});

describe('the Anthropic API as a target (@anthropic-ai/sdk, Messages API)', () => {
  it('no log-probabilities: knobs are accepted but untestable; temperature 0 is checked against temperature 1', async () => {
    const target = anthropicTarget({ model: 'tiny', baseURL: url, env });
    const result = await auditTarget(target, { prompts: AUDIT_PROMPTS });
    const rows = Object.fromEntries(result.knobs.map((row) => [`${row.knob}${row.setting?.temperature === 0 ? '=0' : ''}`, row]));
    for (const knob of ['temperature', 'top_p', 'top_k']) {
      expect(rows[knob]?.verdict, knob).toBe('untestable');
      expect(rows[knob]?.evidence.summary, knob).toMatch(/was accepted \(no error\), but .* returns no log-probabilities/);
    }
    const greedy = rows['temperature=0'];
    expect(greedy?.verdict).toBe('applied');
    expect(greedy?.evidence.distinct_texts).toBe(1);
    expect(greedy?.p_value).toBeLessThan(1e-4);
  }, 60_000);
});
