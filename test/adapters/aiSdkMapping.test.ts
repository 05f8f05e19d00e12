import { describe, expect, it } from 'vitest';
import { mapChain } from '../../src/adapters/aiSdkMapping.js';

const knobs = (mapping: ReturnType<typeof mapChain>): string[] => mapping.lacking.map((entry) => entry.knob);

describe('mapChain: a chain onto what an AI SDK target takes', () => {
  it("Ollama's OpenAI endpoint takes only the OpenAI knobs", () => {
    const mapping = mapChain('top_k=40,min_p=0.05,top_p=0.9,temperature=0.7', { provider: 'openai-compatible', server: 'ollama', model: 'llama3.2' });
    expect(mapping.settings).toEqual({ topP: 0.9, temperature: 0.7 });
    expect(mapping.providerOptions).toEqual({});
    expect(knobs(mapping)).toEqual(['top_k', 'min_p']);
  });

  it('OpenAI reasoning models take only the default temperature: a chain temperature is reported, not sent', () => {
    const mapping = mapChain('temperature=0.7', { provider: 'openai', model: 'o4-mini' });
    expect(mapping.settings).toEqual({});
    expect(mapping.lacking).toEqual([{ knob: 'temperature', value: 0.7, reason: 'o4-mini accepts only the default temperature (1); got 0.7' }]);
    expect(mapChain('temperature=1', { provider: 'openai', model: 'o4-mini' }).lacking).toEqual([]);
  });

  it("OpenAI's logit bias goes through the provider's options; greedy is temperature 0", () => {
    expect(mapChain([{ logit_bias: { '42': -100 } }, { greedy: true }], { provider: 'openai', model: 'gpt-4o' })).toEqual({ settings: { temperature: 0 }, providerOptions: { logitBias: { '42': -100 } }, lacking: [], unverified: [] });
  });

  it('Claude 3.5 Haiku takes temperature and top_p together, but @ai-sdk/anthropic sends top_p only without a temperature', () => {
    const mapping = mapChain('top_k=20,top_p=0.9,temperature=0.5', { provider: 'anthropic', model: 'claude-3-5-haiku-latest' });
    expect(mapping.settings).toEqual({ topK: 20, temperature: 0.5 });
    expect(mapping.lacking).toEqual([{ knob: 'top_p', value: 0.9, reason: '@ai-sdk/anthropic sends top_p only when no temperature is set, for Claude models' }]);
    expect(mapChain('top_k=20,top_p=0.9', { provider: 'anthropic', model: 'claude-3-5-haiku-latest' }).settings).toEqual({ topK: 20, topP: 0.9 });
  });

  it('Claude Opus 4.7 refuses top_k and anything but the default temperature; Anthropic temperatures stop at 1', () => {
    expect(knobs(mapChain('top_k=20,temperature=0.5', { provider: 'anthropic', model: 'claude-opus-4-7' }))).toEqual(['top_k', 'temperature']);
    expect(mapChain('temperature=1.5', { provider: 'anthropic', model: 'claude-haiku-4-5' }).lacking[0]?.reason).toBe('temperature = 1.5 is out of range for claude-haiku-4-5: expected a number in [0, 1]');
  });

  it('stages no request field can express are reported by their place in the chain', () => {
    const mapping = mapChain([{ top_p: { p: 0.9, min_keep: 5 } }, { temperature: 0.8 }, { temperature: 0.5 }], { provider: 'openai-compatible', server: 'vllm', model: 'm' });
    expect(mapping.lacking.map((entry) => entry.knob)).toEqual(['chain[0].top_p.min_keep', 'chain[2]']);
    expect(mapping.settings).toEqual({ topP: 0.9, temperature: 0.8 });
  });

  it('knobs serve takes the chain as it is, with its engine', () => {
    expect(mapChain('xtc={"threshold":0.1,"probability":0.5},temperature=0.9', { provider: 'openai-compatible', server: 'knobs', model: 'embedded', engine: 'llama.cpp' })).toEqual({
      settings: {},
      providerOptions: { chain: 'xtc={"threshold":0.1,"probability":0.5},temperature=0.9', engine: 'llama.cpp' },
      lacking: [],
      unverified: [],
    });
  });

  it('refuses an unknown provider or server kind, and a bad chain, naming them', () => {
    expect(() => mapChain('temperature=1', { provider: 'cohere' as never, model: 'm' })).toThrow('provider = "cohere" is invalid: expected one of openai, anthropic, openai-compatible');
    expect(() => mapChain('temperature=1', { provider: 'openai-compatible', server: 'tgi' as never, model: 'm' })).toThrow(/server = "tgi" is invalid/);
    expect(() => mapChain('top_q=1', { provider: 'openai-compatible', server: 'knobs', model: 'm' })).toThrow(/unknown sampler "top_q"/);
  });
});
