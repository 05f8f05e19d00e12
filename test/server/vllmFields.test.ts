import OpenAI, { APIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KnobsServer } from '../../src/server/server.js';
import { model, startServer } from './harness.js';

/**
 * knobs serve accepts vLLM's own request fields for the samplers they name — `min_tokens`,
 * `allowed_token_ids`, `bad_words` (strings, tokenized with the served model's tokenizer) —
 * beside the chain form, through the official openai client over a real socket.
 */
let serve: KnobsServer;
let client: OpenAI;

beforeAll(async () => {
  const started = await startServer();
  serve = started.serve;
  client = new OpenAI({ baseURL: `${started.url}/v1`, apiKey: 'unused', maxRetries: 0, timeout: 10_000 });
});
afterAll(async () => {
  await serve.close(1000);
});

const id = (char: string): number => model.encode(char)[0] as number;
const complete = (extra: Record<string, unknown>) =>
  client.completions.create({ model: 'tiny', prompt: 'The robot felt calm.', max_tokens: 4, seed: 3, ...extra } as OpenAI.CompletionCreateParamsNonStreaming);

describe("knobs serve: vLLM's fields for the new samplers", () => {
  it('allowed_token_ids leaves only those tokens, and an id outside the vocabulary is a 400', async () => {
    const response = await complete({ allowed_token_ids: [id('w')] });
    expect(response.choices[0]?.text).toBe('wwww');
    const error = await complete({ allowed_token_ids: [model.vocabSize + 5] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(400);
    expect((error as APIError).message).toMatch(/allowed_token_ids contains .* not a token id of this model/);
  });

  it('bad_words strings are tokenized with the served model and banned', async () => {
    // allowed {w, c}, bad word "w" → only c is left
    const response = await complete({ allowed_token_ids: [id('w'), id('c')], bad_words: ['w'] });
    expect(response.choices[0]?.text).toBe('cccc');
    // the chain form says the same
    const chained = await complete({ chain: [{ allowed_tokens: { ids: [id('w'), id('c')] } }, { bad_words: { sequences: [[id('w')]] } }] });
    expect(chained.choices[0]?.text).toBe('cccc');
  });

  it("min_tokens masks the model's end-of-text token for the first tokens", async () => {
    // after "." the bigram model ends the text with probability about 1/8: the processed
    // distribution shows it among the top alternatives, unless min_tokens masks it
    const eos = model.tokenText(model.stopTokens[0] as number);
    const free = await complete({ max_tokens: 1, logprobs: 5, logprobs_mode: 'processed' });
    expect(Object.keys(free.choices[0]?.logprobs?.top_logprobs?.[0] ?? {})).toContain(eos);
    const held = await complete({ max_tokens: 1, logprobs: 5, logprobs_mode: 'processed', min_tokens: 2 });
    expect(Object.keys(held.choices[0]?.logprobs?.top_logprobs?.[0] ?? {})).not.toContain(eos);
  });
});
