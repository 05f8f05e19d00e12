import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../../src/providers/anthropic.js';
import { anthropicCapabilities, claudeSamplingRule } from '../../src/providers/anthropicCapabilities.js';
import { checkSettings } from '../../src/providers/checkSettings.js';
import { chainFromKnobFields, knobFieldsFromChain } from '../../src/providers/knobFields.js';
import { createOpenAIProvider } from '../../src/providers/openai.js';
import { openaiCapabilities, openaiModelFamily } from '../../src/providers/openaiCapabilities.js';
import { chatCompletion, claudeMessage, json, startFaultServer } from './faultServer.js';

const env = { OPENAI_API_KEY: 'k', ANTHROPIC_API_KEY: 'k' };

describe('capability tables', () => {
  it('knows OpenAI reasoning models', () => {
    expect(openaiModelFamily('o3-mini').family).toBe('openai-reasoning');
    expect(openaiModelFamily('o4-mini-2025-04-16').family).toBe('openai-reasoning');
    expect(openaiModelFamily('gpt-5').family).toBe('openai-reasoning');
    expect(openaiModelFamily('gpt-5-nano-2025-08-07').family).toBe('openai-reasoning');
    expect(openaiModelFamily('gpt-5.1-codex').family).toBe('openai-reasoning');
    expect(openaiModelFamily('gpt-5.2').family).toBe('openai-reasoning-optional');
    expect(openaiModelFamily('gpt-5-chat-latest').family).toBe('openai-standard');
    expect(openaiModelFamily('gpt-4o-mini')).toEqual({ family: 'openai-standard', known: true });
    expect(openaiModelFamily('my-finetune')).toEqual({ family: 'openai-standard', known: false });
    expect(openaiCapabilities('gpt-4o-mini').knobs.temperature).toEqual({ min: 0, max: 2, default: 1 });
  });

  it('knows which Claude models refuse temperature with top_p, and which accept only defaults', () => {
    expect(claudeSamplingRule('claude-3-5-haiku-20241022')).toEqual({ rule: 'full', known: true });
    expect(claudeSamplingRule('claude-sonnet-4-20250514').rule).toBe('full');
    expect(claudeSamplingRule('claude-opus-4-1').rule).toBe('exclusive');
    expect(claudeSamplingRule('claude-sonnet-4-5-20250929').rule).toBe('exclusive');
    expect(claudeSamplingRule('claude-haiku-4-5').rule).toBe('exclusive');
    expect(claudeSamplingRule('claude-opus-4-6').rule).toBe('exclusive');
    expect(claudeSamplingRule('claude-opus-4-7').rule).toBe('default-only');
    expect(claudeSamplingRule('claude-sonnet-5-5').rule).toBe('default-only');
    expect(claudeSamplingRule('claude-fable-5-2').rule).toBe('default-only');
    expect(claudeSamplingRule('claude-mythos-preview').rule).toBe('default-only');
    const check = checkSettings(anthropicCapabilities('claude-sonnet-4-5'), { settings: { temperature: 0.5, top_p: 0.9 } });
    expect(check.rejected.map((rejection) => rejection.reason)).toEqual(['rejected by provider: claude-sonnet-4-5 accepts temperature or top_p, not both']);
    const range = checkSettings(anthropicCapabilities('claude-3-5-haiku-20241022'), { settings: { temperature: 1.5 }, seed: 3, logprobs: true });
    expect(range.rejected[0]?.reason).toBe('rejected by provider: temperature = 1.5 is out of range for claude-3-5-haiku-20241022: expected a number in [0, 1]');
    expect(range.notes).toEqual(['anthropic returns no log-probabilities; tokens have logprob null', 'anthropic has no seed: seed 3 not sent, completions are not reproducible']);
    const thinking = checkSettings(anthropicCapabilities('claude-sonnet-4-5', { thinking: { type: 'enabled', budget_tokens: 2048 } }), { settings: { top_p: 0.9, top_k: 5, thinking: { type: 'enabled' } } });
    expect(thinking.rejected.map((rejection) => rejection.parameter)).toEqual(['top_p', 'top_k']);
  });
});

describe('refused settings are reported before sending, and never abort a run', () => {
  let server: Awaited<ReturnType<typeof startFaultServer>>;
  let claude: Awaited<ReturnType<typeof startFaultServer>>;
  beforeAll(async () => {
    server = await startFaultServer([json(200, chatCompletion('ok'))]);
    claude = await startFaultServer([json(200, claudeMessage('ok'))]);
  });
  afterAll(async () => {
    await server.close();
    await claude.close();
  });

  it('OpenAI reasoning models: rejected, nothing sent; defaults accepted and not sent', async () => {
    const openai = createOpenAIProvider({ baseURL: `${server.url}/v1`, env, maxRetries: 0 });
    const before = server.count();
    const grid = [0, 0.5, 1, 1.5].map((temperature) => openai.complete({ model: 'o3-mini', prompt: 'x', settings: { temperature }, maxTokens: 5 }));
    const results = await Promise.all(grid);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'ok', 'rejected']);
    expect(results[1]?.rejected?.[0]?.reason).toBe('rejected by provider: o3-mini accepts only the default temperature (1); got 0.5');
    expect(server.count() - before).toBe(1);
    expect(JSON.parse(server.bodies[server.bodies.length - 1] as string)).not.toHaveProperty('temperature');
    expect(results[2]?.notes).toContain("temperature = 1 is o3-mini's only value: not sent");
    const logprobs = await openai.complete({ model: 'gpt-5', prompt: 'x', logprobs: true, topLogprobs: 3 });
    expect(logprobs.rejected?.[0]?.reason).toBe('rejected by provider: gpt-5 is a reasoning model: OpenAI refuses logprobs for it');
    const effort = await openai.complete({ model: 'gpt-5.2', prompt: 'x', settings: { temperature: 0.2, reasoning_effort: 'high' } });
    expect(effort.rejected?.[0]?.reason).toBe('rejected by provider: gpt-5.2 accepts temperature only with reasoning_effort "none" (got "high")');
    const none = await openai.complete({ model: 'gpt-5.2', prompt: 'x', settings: { temperature: 0.2, reasoning_effort: 'none' }, logprobs: true, topLogprobs: 2, seed: 5 });
    expect(none.status).toBe('ok');
    expect(JSON.parse(server.bodies[server.bodies.length - 1] as string)).toMatchObject({ temperature: 0.2, reasoning_effort: 'none', logprobs: true, top_logprobs: 2, seed: 5 });
    const unknownKnob = await openai.complete({ model: 'gpt-4o-mini', prompt: 'x', settings: { min_p: 0.1 } });
    expect(unknownKnob.rejected?.[0]?.reason).toMatch(/^rejected by provider: openai has no field min_p/);
    const chain = await openai.complete({ model: 'gpt-4o-mini', prompt: 'x', chain: [{ top_p: { p: 0.9, min_keep: 3 } }, { temperature: 0.7 }] });
    expect(chain.rejected?.[0]?.reason).toBe('rejected by provider: openai cannot run this chain: top_p.min_keep has no request field');
  });

  it('Anthropic: the per-model table decides before sending', async () => {
    const anthropic = createAnthropicProvider({ baseURL: claude.url, env, maxRetries: 0 });
    const before = claude.count();
    const both = await anthropic.complete({ model: 'claude-haiku-4-5', prompt: 'x', settings: { temperature: 0.5, top_p: 0.9 } });
    const newest = await anthropic.complete({ model: 'claude-opus-4-7', prompt: 'x', settings: { temperature: 0.5 } });
    const topK = await anthropic.complete({ model: 'claude-opus-4-7', prompt: 'x', settings: { top_k: 5 } });
    expect([both.status, newest.status, topK.status]).toEqual(['rejected', 'rejected', 'rejected']);
    expect(newest.rejected?.[0]?.reason).toBe('rejected by provider: claude-opus-4-7 accepts only the default temperature (1); got 0.5');
    expect(claude.count() - before).toBe(0);
    const fine = await anthropic.complete({ model: 'claude-3-5-haiku-20241022', prompt: 'x', settings: { temperature: 0.5, top_p: 0.9, top_k: 10 }, n: 3 });
    expect(fine.status).toBe('ok');
    expect(fine.completions).toHaveLength(3);
    expect(claude.count() - before).toBe(3);
    expect(fine.sent).toMatchObject({ temperature: 0.5, top_p: 0.9, top_k: 10, n: 3 });
  });
});

describe('knob fields and chains', () => {
  it('orders flag-style fields by the engine profile and drops neutral ones', () => {
    expect(chainFromKnobFields({ temperature: 0.7, top_k: 40, top_p: 1, frequency_penalty: 0, model: 'x' }).chain).toEqual([{ top_k: { k: 40 } }, { temperature: { t: 0.7 } }]);
    expect(chainFromKnobFields({ temperature: 0.7, min_p: 0.1 }, 'vllm').chain).toEqual([{ temperature: { t: 0.7 } }, { min_p: { p: 0.1 } }]);
    expect(chainFromKnobFields({ repetition_penalty: 1.1, presence_penalty: 0.5 }).chain).toEqual([{ penalties: { repeat: 1.1, presence: 0.5 } }]);
    expect(() => chainFromKnobFields({ top_p: '0.9' })).toThrow(/top_p = "0.9"/);
    expect(() => chainFromKnobFields({ repeat_penalty: 1.1, repetition_penalty: 1.2 })).toThrow(/only one of repeat_penalty and repetition_penalty/);
  });

  it('translates chains into fields for remote engines', () => {
    expect(knobFieldsFromChain('top_k=40,top_p=0.95,temperature=0.8')).toEqual({ fields: { top_k: 40, top_p: 0.95, temperature: 0.8 }, unexpressible: [] });
    expect(knobFieldsFromChain([{ greedy: true }]).fields).toEqual({ temperature: 0 });
    expect(knobFieldsFromChain([{ temperature: 0.5 }, { temperature: 0.9 }]).unexpressible).toHaveLength(1);
  });
});
