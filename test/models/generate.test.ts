import { describe, expect, it } from 'vitest';
import { embeddedModel } from '../../src/models/embeddedModel.js';
import { generate, type TokenEvent } from '../../src/models/generate.js';
import type { LanguageModel } from '../../src/models/languageModel.js';
import { sharedEmbeddedData } from './sharedModel.js';

/**
 * A toy model over the bytes 0 … 255 plus a stop token 256. After a context of length L it
 * prefers byte 97 + (L mod 3) ('a', 'b', 'c') with logit 3, every other letter a–e gets 1,
 * and the stop token gets 2.5 once the context has 6 tokens.
 */
const toy: LanguageModel = {
  id: 'toy',
  vocabSize: 257,
  stopTokens: [256],
  encode: (text) => Array.from(Buffer.from(text, 'utf8')),
  decode: (tokens) => new TextDecoder().decode(Uint8Array.from(tokens.filter((t) => t < 256))),
  tokenText: (token) => (token < 256 ? String.fromCharCode(token) : '<stop>'),
  nextLogits(context, out) {
    const logits = out ?? new Float32Array(257);
    logits.fill(-Infinity);
    for (let letter = 97; letter <= 101; letter++) logits[letter] = 1;
    logits[97 + (context.length % 3)] = 3;
    if (context.length >= 6) logits[256] = 2.5;
    return logits;
  },
};

describe('generate', () => {
  it('temperature 0 is greedy: the most likely token at every step', async () => {
    const [completion] = await generate(toy, 'x', [{ temperature: 0 }], { maxTokens: 8 });
    // context lengths 1 … 8 prefer b, c, a, b, c, then from length 6 a (3) beats stop (2.5)
    expect(completion!.text).toBe('bcabcabc');
    expect(completion!.finishReason).toBe('length');
  });

  it('the same seed gives the same text; completion i uses seed + i', async () => {
    const chain = [{ temperature: 1.5 }];
    const first = await generate(toy, 'x', chain, { seed: 5, n: 3, maxTokens: 12 });
    const second = await generate(toy, 'x', chain, { seed: 5, n: 3, maxTokens: 12 });
    expect(second).toEqual(first);
    expect(first.map((c) => c.seed)).toEqual([5, 6, 7]);
    const alone = await generate(toy, 'x', chain, { seed: 6, maxTokens: 12 });
    expect(alone[0]!.text).toBe(first[1]!.text);
    expect(new Set(first.map((c) => c.text)).size).toBeGreaterThan(1);
  });

  it('stops at a stop token, which is not part of the text', async () => {
    const eager: LanguageModel = {
      ...toy,
      nextLogits(context, out) {
        const logits = toy.nextLogits(context, out) as Float32Array;
        if (context.length >= 6) logits[256] = 5;
        return logits;
      },
    };
    const [completion] = await generate(eager, 'x', [{ temperature: 0 }], { maxTokens: 20 });
    // the stop token wins once the context has 6 tokens: after 5 generated tokens
    expect(completion!.tokens).toHaveLength(5);
    expect(completion!.finishReason).toBe('stop');
  });

  it('streams pieces that add up to the text, holding back unfinished characters', async () => {
    const euro = Array.from(Buffer.from('€', 'utf8')); // E2 82 AC
    const scripted: LanguageModel = {
      ...toy,
      nextLogits(context, out) {
        const logits = (out ?? new Float32Array(257)).fill(-Infinity);
        logits[euro[context.length - 1] ?? 256] = 0;
        return logits;
      },
    };
    const events: TokenEvent[] = [];
    const [completion] = await generate(scripted, 'x', [{ greedy: true }], { onToken: (event) => events.push(event) });
    expect(completion!.text).toBe('€');
    expect(events.map((event) => event.text)).toEqual(['', '', '€']);
    expect(events.map((event) => event.token)).toEqual(euro);
  });

  it('rejects bad counts', async () => {
    await expect(generate(toy, 'x', [], { n: 0 })).rejects.toThrow(/n = 0 is out of range/);
    await expect(generate(toy, 'x', [], { maxTokens: -1 })).rejects.toThrow(/maxTokens = -1 is out of range/);
  });
});

describe('generate with the embedded model', () => {
  it('is reproducible, and greedy follows the argmax of nextLogits', async () => {
    const model = embeddedModel(await sharedEmbeddedData());
    const a = await generate(model, 'The weather today is', 'top_p=0.95,temperature=0.9', { seed: 1, n: 2, maxTokens: 8 });
    const b = await generate(model, 'The weather today is', 'top_p=0.95,temperature=0.9', { seed: 1, n: 2, maxTokens: 8 });
    expect(b.map((c) => c.text)).toEqual(a.map((c) => c.text));
    const [greedy] = await generate(model, 'The weather today is', [{ temperature: 0 }], { maxTokens: 10 });
    const context = model.encode('The weather today is');
    for (const token of greedy!.tokens) {
      const logits = model.nextLogits(context);
      let best = 0;
      for (let id = 1; id < logits.length; id++) if ((logits[id] as number) > (logits[best] as number)) best = id;
      expect(token).toBe(best);
      context.push(token);
    }
  });
});
