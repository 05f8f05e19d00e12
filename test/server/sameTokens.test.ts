import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareDecoding } from '../../src/decoding/compareDecoding.js';
import { modelCatalog } from '../../src/models/catalog.js';
import { generate } from '../../src/models/generate.js';
import { createLocalProvider } from '../../src/providers/local.js';
import type { ChainSpec } from '../../src/samplers/spec.js';
import type { KnobsServer } from '../../src/server/server.js';
import { model, startServer } from './harness.js';

// Every command that generates runs the one decode loop: for the same model, prompt, chain
// and seed, `generate` (knobs generate), `compareDecoding` (knobs compare-decoding),
// `knobs serve` (over HTTP, official openai client) and the local provider give the same
// tokens, end the same way, and count the same tokens (never the stop token).

let serve: KnobsServer;
let client: OpenAI;
const provider = createLocalProvider({ catalog: modelCatalog({ tiny: model }) });

beforeAll(async () => {
  let url: string;
  ({ serve, url } = await startServer());
  client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0, timeout: 10_000 });
});
afterAll(async () => {
  await serve.close(1000);
});

const PROMPT = 'The robot';
const MAX_TOKENS = 60;
const SEEDS = Array.from({ length: 10 }, (_, seed) => seed);
const CHAINS: readonly ChainSpec[] = [
  [],
  [{ top_k: 5 }, { temperature: 0.9 }],
  [{ top_p: 0.8 }, { min_p: 0.05 }],
  [{ penalties: { repeat: 1.3, frequency: 0.2, presence: 0, last_n: 16 } }, { temperature: 0.7 }],
];

/** Token ids of the character model from the token texts knobs serve reports. */
const idsOf = (texts: readonly string[]): number[] => texts.map((text) => model.chars.indexOf(text));

describe('one decode loop behind every command', () => {
  it('generate, compareDecoding, knobs serve and the local provider give the same tokens for the same seed and chain', async () => {
    const finishes = new Set<string>();
    for (const chain of CHAINS) {
      const expected = await generate(model, PROMPT, chain, { seed: 0, n: SEEDS.length, maxTokens: MAX_TOKENS });
      // compareDecoding gives prompt i the seed 0 + i.
      const compared = await compareDecoding(
        model,
        SEEDS.map(() => ({ prompt: model.encode(PROMPT) })),
        { maxTokens: MAX_TOKENS, seed: 0, strategies: [{ name: 'chain', label: 'chain', family: 'sampling', kind: 'sampler', chain }] },
      );
      for (const seed of SEEDS) {
        const label = `${JSON.stringify(chain)} seed ${seed}`;
        const completion = expected[seed]!;
        finishes.add(completion.finishReason);
        expect(completion.tokens, label).not.toContain(model.stopTokens[0]);

        const row = compared.rows[0]!.generations![seed]!;
        expect(row.tokens, label).toEqual(completion.tokens);
        expect(row.stopped, label).toBe(completion.finishReason === 'stop');
        expect(row.logprobs, label).toHaveLength(completion.tokens.length);

        const served = await client.completions.create({ model: 'tiny', prompt: PROMPT, seed, max_tokens: MAX_TOKENS, logprobs: 0, chain } as OpenAI.CompletionCreateParamsNonStreaming);
        const choice = served.choices[0]!;
        expect(idsOf(choice.logprobs?.tokens ?? []), label).toEqual(completion.tokens);
        expect(choice.text, label).toBe(completion.text);
        expect(choice.finish_reason, label).toBe(completion.finishReason);
        expect(served.usage?.completion_tokens, label).toBe(completion.tokens.length);

        const local = await provider.complete({ model: 'tiny', prompt: PROMPT, chain, seed, maxTokens: MAX_TOKENS, logprobs: true });
        expect(local.completions[0]?.tokens?.map((token) => token.id), label).toEqual(completion.tokens);
        expect(local.completions[0]?.finishReason, label).toBe(completion.finishReason);
        expect(local.usage?.completionTokens, label).toBe(completion.tokens.length);
      }
    }
    // Both ways of ending were exercised: at a stop token and at max_tokens.
    expect([...finishes].sort()).toEqual(['length', 'stop']);
  });
});
