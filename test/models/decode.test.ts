import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decode, takeToken } from '../../src/models/decode.js';
import { createSampler } from '../../src/samplers/chain.js';
import { ABC_TABLE, ABC_WORDS, A, B, C, END, S, bigramModel } from '../decoding/bigramModel.js';

// The ABC model (test/decoding/bigramModel.ts): from S a .5, b .4, c .1; from b c .9; from c END .4, c .55.
const abc = () => bigramModel(ABC_WORDS, ABC_TABLE);
const greedy = (prompt: readonly number[]) => createSampler([{ greedy: true }], { prompt });

describe('decode', () => {
  it('takes the most likely token at each step under greedy, up to maxTokens', async () => {
    // S → a (.5) → a (.35) → a (.35)
    expect(await decode(abc(), [S], greedy([S]), { maxTokens: 3 })).toEqual({ tokens: [A, A, A], finishReason: 'length' });
    expect(await decode(abc(), [S], greedy([S]), { maxTokens: 0 })).toEqual({ tokens: [], finishReason: 'length' });
  });

  it('ends at a stop token, which is not taken: not a token, not accepted, not passed to onToken', async () => {
    // b → c (.9) → END (.7 with c's row changed), one model call per step.
    const model = bigramModel(ABC_WORDS, { ...ABC_TABLE, c: { END: 0.7, c: 0.3 } });
    const sampler = greedy([B]);
    const seen: number[] = [];
    const result = await decode(model, [B], sampler, { maxTokens: 5, onToken: (step) => void seen.push(step.token) });
    expect(result).toEqual({ tokens: [C], finishReason: 'stop' });
    expect(sampler.generated).toEqual([C]);
    expect(seen).toEqual([C]);
    expect(model.calls).toBe(2);
    // stop: [] never ends early: END is then drawn and taken like any token.
    expect((await decode(model, [B], greedy([B]), { maxTokens: 3, stop: [] })).tokens).toEqual([C, END, END]);
  });

  it('gives onToken the model logits of each step, and ends when it says halt', async () => {
    const logprobs: number[] = [];
    const result = await decode(abc(), [S], greedy([S]), {
      maxTokens: 10,
      onToken: async ({ token, index, logits }) => {
        logprobs.push(logits[token] as number);
        return index === 1 ? 'halt' : undefined;
      },
    });
    expect(result).toEqual({ tokens: [A, A], finishReason: 'halted' });
    expect(logprobs).toEqual([expect.closeTo(Math.log(0.5), 6), expect.closeTo(Math.log(0.35), 6)]);
  });

  it('ends as aborted once the signal is aborted, before the next model call', async () => {
    const controller = new AbortController();
    const model = abc();
    const result = await decode(model, [S], greedy([S]), { maxTokens: 10, signal: controller.signal, onToken: ({ index }) => void (index === 2 && controller.abort()) });
    expect(result).toEqual({ tokens: [A, A, A], finishReason: 'aborted' });
    expect(model.calls).toBe(3);
  });

  it('awaits models that answer asynchronously, with the same draws', async () => {
    const sync = await decode(abc(), [S], createSampler([], { seed: 9, prompt: [S] }), { maxTokens: 20 });
    const async = await decode(bigramModel(ABC_WORDS, ABC_TABLE, { async: true }), [S], createSampler([], { seed: 9, prompt: [S] }), { maxTokens: 20 });
    expect(async).toEqual(sync);
  });
});

describe('takeToken', () => {
  it('accepts a token that is not a stop token, and refuses a stop token without accepting it', () => {
    const sampler = createSampler([]);
    expect(takeToken(sampler, A, new Set([END]))).toBe(true);
    expect(takeToken(sampler, END, new Set([END]))).toBe(false);
    expect(sampler.generated).toEqual([A]);
  });
});

describe('src/models/decode.ts runs in a browser', () => {
  it('imports no Node module, directly or through the modules it imports at run time', () => {
    const builtins = new Set(builtinModules);
    const seen = new Set<string>();
    const visit = (url: URL): void => {
      if (seen.has(url.href)) return;
      seen.add(url.href);
      const source = readFileSync(url, 'utf8');
      for (const match of source.matchAll(/^(import|export)\s+(type\s+)?[^'";]*?from\s+'([^']+)'/gm)) {
        const [, , typeOnly, specifier] = match as unknown as [string, string, string | undefined, string];
        if (typeOnly) continue; // erased at compile time
        expect(specifier.startsWith('node:') || builtins.has(specifier), `${url.pathname} imports ${specifier}`).toBe(false);
        if (specifier.startsWith('.')) visit(new URL(specifier.replace(/\.js$/, '.ts'), url));
      }
    };
    visit(new URL('../../src/models/decode.ts', import.meta.url));
    expect(seen.size).toBeGreaterThan(1); // it does import core/validate.ts
  });
});
