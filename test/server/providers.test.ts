import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../../src/providers/anthropic.js';
import { createLocalProvider } from '../../src/providers/local.js';
import { modelCatalog } from '../../src/models/catalog.js';
import { createOpenAIProvider } from '../../src/providers/openai.js';
import { createOpenAICompatibleProvider } from '../../src/providers/openaiCompatible.js';
import type { KnobsServer } from '../../src/server/server.js';
import { model, startServer } from './harness.js';

let serve: KnobsServer;
let url: string;
const env = { OPENAI_API_KEY: 'unused', ANTHROPIC_API_KEY: 'unused' };
const local = createLocalProvider({ catalog: modelCatalog({ tiny: model }) });
const messages = [{ role: 'user' as const, content: 'What did the robot feel?' }];

beforeAll(async () => {
  ({ serve, url } = await startServer());
});
afterAll(async () => {
  await serve.close(1000);
});

describe('our providers against knobs serve over real HTTP', () => {
  it('the OpenAI provider gets what the local provider computes, logprobs included', async () => {
    const openai = createOpenAIProvider({ baseURL: `${url}/v1`, env, maxRetries: 0, timeoutMs: 10_000 });
    const request = { model: 'tiny', messages, settings: { temperature: 0.8, top_p: 0.95 }, n: 2, seed: 21, maxTokens: 30, topLogprobs: 3 };
    const [remote, here] = await Promise.all([openai.complete(request), local.complete(request)]);
    expect(remote.status).toBe('ok');
    expect(remote.completions.map((completion) => completion.text)).toEqual(here.completions.map((completion) => completion.text));
    expect(remote.systemFingerprint).toBe('knobs:test:char-bigram:knobs');
    expect(remote.usage).toEqual(here.usage);
    const remoteTokens = remote.completions[0]?.tokens ?? [];
    const localTokens = here.completions[0]?.tokens ?? [];
    expect(remoteTokens.map((token) => token.token)).toEqual(localTokens.map((token) => token.token));
    remoteTokens.forEach((token, index) => expect(token.logprob).toBeCloseTo(localTokens[index]?.logprob as number, 9));
  });

  it('the compatible provider sends extra knobs and chains to knobs serve', async () => {
    const compatible = createOpenAICompatibleProvider({ baseURL: `${url}/v1`, server: 'knobs', maxRetries: 0, timeoutMs: 10_000 });
    const request = { model: 'tiny', prompt: 'The robot', chain: 'top_k=8,min_p=0.02,temperature=1.1', seed: 77, maxTokens: 40 };
    const [remote, here] = await Promise.all([compatible.complete(request), local.complete(request)]);
    expect(remote.sent).toMatchObject({ chain: 'top_k=8,min_p=0.02,temperature=1.1', seed: 77, max_tokens: 40 });
    expect(remote.completions[0]?.text).toBe(here.completions[0]?.text);
    const knobs = await compatible.complete({ model: 'tiny', prompt: 'The robot', settings: { top_k: 8, min_p: 0.02, temperature: 1.1 }, seed: 77, maxTokens: 40 });
    expect(knobs.completions[0]?.text).toBe(here.completions[0]?.text);
    const refused = await compatible.complete({ model: 'tiny', prompt: 'x', settings: { min_p: 3 } });
    expect(refused.status).toBe('rejected');
    expect(refused.rejected?.[0]?.reason).toMatch(/^rejected by provider: min_p = 3 is out of range/);
  });

  it('the Anthropic provider gets the same text as the local provider (greedy, no seed needed)', async () => {
    const anthropic = createAnthropicProvider({ baseURL: url, env, maxRetries: 0, timeoutMs: 10_000 });
    const remote = await anthropic.complete({ model: 'tiny', messages, settings: { temperature: 0 }, maxTokens: 30 });
    const here = await local.complete({ model: 'tiny', messages, settings: { temperature: 0 }, seed: 5, maxTokens: 30 });
    expect(remote.status).toBe('ok');
    expect(remote.completions[0]?.text).toBe(here.completions[0]?.text);
    expect(remote.completions[0]?.text.length).toBeGreaterThan(0);
  });

  it('a 400 from the server is a rejected result naming the field, and the run goes on', async () => {
    const generic = createOpenAICompatibleProvider({ baseURL: `${url}/v1`, maxRetries: 0, timeoutMs: 10_000 });
    const results = [];
    for (const min_p of [0.05, 3, 0.1]) results.push(await generic.complete({ model: 'tiny', messages, settings: { min_p }, maxTokens: 5, seed: 1 }));
    expect(results.map((result) => result.status)).toEqual(['ok', 'rejected', 'ok']);
    expect(results[1]?.rejected?.[0]).toMatchObject({ parameter: 'min_p', reason: 'rejected by provider: min_p.p = 3 is out of range: expected a number in [0, 1] (HTTP 400)' });
    expect(results[0]?.notes).toContain('min_p is not a knob known to openai-compatible:generic; sent as is (the server may ignore it)');
  });
});
