import { describe, expect, it } from 'vitest';
import { createLocalProvider, localCapabilities } from '../../src/providers/local.js';
import { generateCompletion } from '../../src/providers/generateCompletion.js';
import { generate as modelGenerate } from '../../src/models/generate.js';
import { modelCatalog } from '../../src/models/catalog.js';
import { renderChatPrompt } from '../../src/providers/chatTemplate.js';
import { charBigramModel } from './fixtures/charBigramModel.js';
import { createSampler } from '../../src/samplers/chain.js';

const model = charBigramModel();
const provider = createLocalProvider({ catalog: modelCatalog({ tiny: model }) });

function logSoftmax64(logits: Float32Array): number[] {
  const max = Math.max(...logits);
  const shift = max + Math.log(logits.reduce((sum, value) => sum + Math.exp(value - max), 0));
  return Array.from(logits, (value) => value - shift);
}

describe('local provider', () => {
  it('gives the same text for the same seed and different text for different seeds', async () => {
    const request = { model: 'tiny', prompt: 'The robot', settings: { temperature: 1.2 }, maxTokens: 40 };
    const a = await provider.complete({ ...request, seed: 11 });
    const b = await provider.complete({ ...request, seed: 11 });
    const c = await provider.complete({ ...request, seed: 12 });
    expect(a.status).toBe('ok');
    expect(a.completions[0]?.text).toBe(b.completions[0]?.text);
    expect(a.completions[0]?.text).not.toBe(c.completions[0]?.text);
    expect(a.usage?.promptTokens).toBe(9);
  });

  it('choice i of n is the single completion with seed + i', async () => {
    const many = await provider.complete({ model: 'tiny', prompt: 'A cat', n: 3, seed: 100, maxTokens: 15 });
    for (let i = 0; i < 3; i++) {
      const one = await provider.complete({ model: 'tiny', prompt: 'A cat', seed: 100 + i, maxTokens: 15 });
      expect(many.completions[i]?.text).toBe(one.completions[0]?.text);
    }
  });

  it('temperature 0 is greedy: the argmax path, independent of the seed', async () => {
    const a = await provider.complete({ model: 'tiny', prompt: 'The r', settings: { temperature: 0 }, seed: 1, maxTokens: 12 });
    const b = await provider.complete({ model: 'tiny', prompt: 'The r', settings: { temperature: 0 }, seed: 999, maxTokens: 12 });
    expect(a.completions[0]?.text).toBe(b.completions[0]?.text);
    // follow the argmax by hand
    const context = model.encode('The r');
    let expected = '';
    for (let i = 0; i < 12; i++) {
      const logits = model.nextLogits(context) as Float32Array;
      let best = 0;
      for (let id = 1; id < logits.length; id++) if ((logits[id] as number) > (logits[best] as number)) best = id;
      if (model.stopTokens.includes(best)) break;
      context.push(best);
      expected += model.decode([best]);
    }
    expect(a.completions[0]?.text).toBe(expected);
  });

  it('logprobs are the model distribution for the same context, with top alternatives in order', async () => {
    const result = await provider.complete({ model: 'tiny', prompt: 'The ', seed: 3, maxTokens: 6, topLogprobs: 5 });
    const tokens = result.completions[0]?.tokens ?? [];
    expect(tokens.length).toBeGreaterThan(0);
    const context = model.encode('The ');
    for (const token of tokens) {
      const expected = logSoftmax64(model.nextLogits(context) as Float32Array);
      expect(token.logprob).toBeCloseTo(expected[token.id as number] as number, 6);
      expect(token.top).toHaveLength(5);
      const sorted = [...expected.keys()].sort((x, y) => (expected[y] as number) - (expected[x] as number) || x - y).slice(0, 5);
      expect(token.top?.map((alternative) => alternative.id)).toEqual(sorted);
      context.push(token.id as number);
    }
  });

  it('processed logprobs are those of the distribution the chain draws from', async () => {
    const chain = 'top_k=3,temperature=0.5';
    const result = await provider.complete({ model: 'tiny', prompt: 'The ', chain, seed: 3, maxTokens: 5, topLogprobs: 5, settings: { logprobs_mode: 'processed' } });
    const tokens = result.completions[0]?.tokens ?? [];
    const context = model.encode('The ');
    const sampler = createSampler(chain, { seed: 3, prompt: context });
    for (const token of tokens) {
      const probs = sampler.distribution(model.nextLogits(context) as Float32Array);
      expect(token.logprob).toBeCloseTo(Math.log(probs[token.id as number] as number), 6);
      expect(token.top).toHaveLength(3);
      expect(Math.exp(token.top?.reduce((sum, alternative) => sum + Math.exp(alternative.logprob), 0) ?? 0)).toBeCloseTo(Math.E, 5);
      sampler.accept(token.id as number);
      context.push(token.id as number);
    }
  });

  it('cuts the text before a stop string, even across tokens', async () => {
    const free = await provider.complete({ model: 'tiny', prompt: 'The robot', settings: { temperature: 0 }, maxTokens: 30 });
    const text = free.completions[0]?.text ?? '';
    const stop = text.slice(5, 8);
    const stopped = await provider.complete({ model: 'tiny', prompt: 'The robot', settings: { temperature: 0 }, maxTokens: 30, stop: [stop] });
    expect(stopped.completions[0]?.text).toBe(text.slice(0, text.indexOf(stop)));
    expect(stopped.completions[0]?.finishReason).toBe('stop');
    expect(stopped.completions[0]?.stopSequence).toBe(stop);
  });

  it('draws the same tokens as the models\' generate (knobs generate) for the same chain and seed', async () => {
    for (const chain of ['', 'top_k=5,temperature=0.9', 'top_p=0.8,min_p=0.05']) {
      const expected = await modelGenerate(model, 'The robot', chain, { seed: 31, maxTokens: 40, n: 2 });
      for (const [index, completion] of expected.entries()) {
        const ours = await generateCompletion(model, model.encode('The robot'), { chain, seed: 31 + index, maxTokens: 40 });
        expect(ours.tokenIds).toEqual(completion.tokens);
        expect(ours.text).toBe(completion.text);
        expect(ours.finishReason).toBe(completion.finishReason);
      }
    }
  });

  it('streamed deltas add up to the final text', async () => {
    const pieces: string[] = [];
    const result = await generateCompletion(model, model.encode('The'), { seed: 5, maxTokens: 50, stop: ['sea'], onDelta: (delta) => pieces.push(delta.text) });
    expect(pieces.join('')).toBe(result.text);
  });

  it('reports a sampler it does not have as rejected, without throwing', async () => {
    const result = await provider.complete({ model: 'tiny', prompt: 'x', settings: { temperature: 0.5, not_a_knob: 3 } });
    expect(result.status).toBe('rejected');
    expect(result.rejected?.[0]?.reason).toMatch(/^rejected by provider: local has no field not_a_knob/);
    const bad = await provider.complete({ model: 'tiny', prompt: 'x', chain: [{ top_p: 1.5 }] });
    expect(bad.status).toBe('rejected');
    expect(bad.rejected?.[0]?.reason).toContain('1.5');
  });

  it('renders chats as plain text and stops at the next turn', async () => {
    expect(renderChatPrompt([{ role: 'system', content: 'S' }, { role: 'user', content: 'Q' }])).toBe('System: S\n\nUser: Q\n\nAssistant:');
    const result = await provider.complete({ model: 'tiny', messages: [{ role: 'user', content: 'What did the robot feel?' }], seed: 1, maxTokens: 200 });
    expect(result.completions[0]?.text).not.toContain('\n\nUser:');
    expect(localCapabilities('tiny').knobs.top_p).toMatchObject({ min: 0, max: 1, default: 1 });
  });
});
