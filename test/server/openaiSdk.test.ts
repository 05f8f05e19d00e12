import OpenAI, { APIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KnobsServer } from '../../src/server/server.js';
import { renderChatPrompt } from '../../src/providers/chatTemplate.js';
import { fetchWithTimeout, logSoftmax64, model, startServer } from './harness.js';

let serve: KnobsServer;
let url: string;
let client: OpenAI;

beforeAll(async () => {
  ({ serve, url } = await startServer());
  client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0, timeout: 10_000 });
});
afterAll(async () => {
  await serve.close(1000);
});

const messages = [{ role: 'user' as const, content: 'What did the robot feel?' }];

describe('knobs serve with the official openai client', () => {
  it('lists the served models', async () => {
    const page = await client.models.list();
    expect(page.data.map((entry) => entry.id)).toEqual(['tiny']);
    const one = await client.models.retrieve('tiny');
    expect(one.id).toBe('tiny');
  });

  it('gives the same text for the same seed, and records seed and system_fingerprint', async () => {
    const ask = (seed: number) => client.chat.completions.create({ model: 'tiny', messages, seed, temperature: 1, max_tokens: 40 });
    const [a, b, c] = await Promise.all([ask(42), ask(42), ask(43)]);
    expect(a.choices[0]?.message.content).toBe(b.choices[0]?.message.content);
    expect(a.choices[0]?.message.content).not.toBe(c.choices[0]?.message.content);
    expect(a.system_fingerprint).toBe('knobs:test:char-bigram:knobs');
    expect((a as unknown as { seed: number }).seed).toBe(42);
    expect(a.usage?.prompt_tokens).toBe(model.encode(renderChatPrompt(messages)).length);
    expect(a.object).toBe('chat.completion');
  });

  it('returns logprobs that are the model distribution for the same context', async () => {
    const completion = await client.chat.completions.create({ model: 'tiny', messages, seed: 7, temperature: 0.7, top_p: 0.9, max_tokens: 12, logprobs: true, top_logprobs: 4 });
    const content = completion.choices[0]?.logprobs?.content ?? [];
    expect(content.length).toBeGreaterThan(0);
    const context = model.encode(renderChatPrompt(messages));
    let text = '';
    for (const entry of content) {
      const expected = logSoftmax64(model.nextLogits(context) as Float32Array);
      const id = model.chars.indexOf(entry.token);
      expect(id).toBeGreaterThanOrEqual(0);
      expect(entry.logprob).toBeCloseTo(expected[id] as number, 6);
      expect(entry.top_logprobs).toHaveLength(4);
      const best = [...expected.keys()].sort((x, y) => (expected[y] as number) - (expected[x] as number) || x - y).slice(0, 4);
      expect(entry.top_logprobs.map((alternative) => alternative.token)).toEqual(best.map((tokenId) => model.tokenText(tokenId)));
      expect(entry.top_logprobs[0]?.logprob).toBeCloseTo(expected[best[0] as number] as number, 6);
      context.push(id);
      text += entry.token;
    }
    expect(text).toBe(completion.choices[0]?.message.content);
  });

  it('streams the same text as the non-streaming answer, with usage at the end', async () => {
    const request = { model: 'tiny', messages, seed: 5, max_tokens: 60, n: 2 };
    const whole = await client.chat.completions.create(request);
    const stream = await client.chat.completions.create({ ...request, stream: true, stream_options: { include_usage: true } });
    const texts = ['', ''];
    const finishes: (string | null)[] = [null, null];
    let usage: OpenAI.CompletionUsage | null | undefined;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      if (chunks > 10_000) throw new Error('runaway stream');
      for (const choice of chunk.choices) {
        texts[choice.index] += choice.delta.content ?? '';
        if (choice.finish_reason) finishes[choice.index] = choice.finish_reason;
      }
      if (chunk.usage) usage = chunk.usage;
    }
    expect(texts).toEqual(whole.choices.map((choice) => choice.message.content));
    expect(finishes).toEqual(whole.choices.map((choice) => choice.finish_reason));
    expect(usage?.total_tokens).toBe(whole.usage?.total_tokens);
  });

  it('stops at a stop string and reports finish_reason stop', async () => {
    const free = await client.chat.completions.create({ model: 'tiny', messages, temperature: 0, max_tokens: 30 });
    const text = free.choices[0]?.message.content ?? '';
    expect(text.length).toBeGreaterThan(6);
    const stop = text.slice(3, 6);
    const stopped = await client.chat.completions.create({ model: 'tiny', messages, temperature: 0, max_tokens: 30, stop: [stop] });
    expect(stopped.choices[0]?.message.content).toBe(text.slice(0, text.indexOf(stop)));
    expect(stopped.choices[0]?.finish_reason).toBe('stop');
    const short = await client.chat.completions.create({ model: 'tiny', messages, temperature: 0, max_tokens: 2 });
    expect(short.choices[0]?.finish_reason).toBe('length');
    expect(short.usage?.completion_tokens).toBe(2);
  });

  it('takes every knob as an extra field, and a chain field, with the same result for the same chain', async () => {
    const extra = await client.chat.completions.create({ model: 'tiny', messages, seed: 9, max_tokens: 30, temperature: 0.8, top_k: 5, min_p: 0.05 } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    const chained = await client.chat.completions.create({ model: 'tiny', messages, seed: 9, max_tokens: 30, chain: [{ top_k: 5 }, { min_p: 0.05 }, { temperature: 0.8 }] } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    const compact = await client.chat.completions.create({ model: 'tiny', messages, seed: 9, max_tokens: 30, chain: 'top_k=5,min_p=0.05,temperature=0.8' } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    expect(extra.choices[0]?.message.content).toBe(chained.choices[0]?.message.content);
    expect(compact.choices[0]?.message.content).toBe(chained.choices[0]?.message.content);
    const greedy = await client.chat.completions.create({ model: 'tiny', messages, seed: 1, max_tokens: 20, top_k: 1 } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    const zero = await client.chat.completions.create({ model: 'tiny', messages, seed: 2, max_tokens: 20, temperature: 0 });
    expect(greedy.choices[0]?.message.content).toBe(zero.choices[0]?.message.content);
  });

  it('accepts every knob of the chain as an extra field, the same as the chain written out', async () => {
    const cases: [Record<string, unknown>, unknown[]][] = [
      [{ typical_p: 0.9 }, [{ typical_p: { p: 0.9 } }]],
      [{ top_n_sigma: 1.5 }, [{ top_n_sigma: { n: 1.5 } }]],
      [{ epsilon_cutoff: 0.001 }, [{ epsilon: { epsilon: 0.001 } }]],
      [{ eta_cutoff: 0.001 }, [{ eta: { eta: 0.001 } }]],
      [{ xtc_probability: 0.5, xtc_threshold: 0.1 }, [{ xtc: { probability: 0.5, threshold: 0.1 } }]],
      [{ repetition_penalty: 1.3, repeat_last_n: 16, frequency_penalty: 0.5, presence_penalty: 0.3 }, [{ penalties: { repeat: 1.3, last_n: 16, frequency: 0.5, presence: 0.3 } }]],
      [{ dry_multiplier: 0.8, dry_base: 1.75, dry_allowed_length: 2, dry_penalty_last_n: 32, dry_sequence_breakers: ['\n'] }, [{ dry: { multiplier: 0.8, base: 1.75, allowed_length: 2, last_n: 32, breakers: [[model.chars.indexOf('\n')]] } }]],
      [{ no_repeat_ngram_size: 3 }, [{ no_repeat_ngram: { n: 3 } }]],
      [{ temperature: 0.9, dynatemp_range: 0.5, dynatemp_exponent: 1 }, [{ dynatemp: { t: 0.9, range: 0.5, exponent: 1 } }]],
      [{ mirostat: 2, mirostat_tau: 5, mirostat_eta: 0.1 }, [{ mirostat: { version: 2, tau: 5, eta: 0.1 } }]],
      [{ logit_bias: { [model.chars.indexOf('e')]: -100 } }, [{ logit_bias: { [model.chars.indexOf('e')]: -100 } }]],
    ];
    for (const [fields, chain] of cases) {
      const request = { model: 'tiny', messages, seed: 13, max_tokens: 40 };
      const viaFields = await client.chat.completions.create({ ...request, ...fields } as OpenAI.ChatCompletionCreateParamsNonStreaming);
      const viaChain = await client.chat.completions.create({ ...request, chain } as OpenAI.ChatCompletionCreateParamsNonStreaming);
      expect(viaFields.choices[0]?.message.content, JSON.stringify(fields)).toBe(viaChain.choices[0]?.message.content);
    }
    const banned = await client.chat.completions.create({ model: 'tiny', messages, seed: 13, max_tokens: 60, logit_bias: { [model.chars.indexOf('e')]: -100 } });
    expect(banned.choices[0]?.message.content).not.toContain('e');
  });

  it('serves legacy completions with legacy logprobs and streaming', async () => {
    const whole = await client.completions.create({ model: 'tiny', prompt: 'The robot', seed: 3, max_tokens: 20, logprobs: 3 });
    const choice = whole.choices[0];
    expect(choice?.logprobs?.tokens?.join('')).toBe(choice?.text);
    const context = model.encode('The robot');
    const first = logSoftmax64(model.nextLogits(context) as Float32Array);
    expect(choice?.logprobs?.token_logprobs?.[0]).toBeCloseTo(first[model.chars.indexOf(choice?.logprobs?.tokens?.[0] ?? '')] as number, 6);
    expect(Object.keys(choice?.logprobs?.top_logprobs?.[0] ?? {})).toHaveLength(3);
    const stream = await client.completions.create({ model: 'tiny', prompt: 'The robot', seed: 3, max_tokens: 20, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
    expect(text).toBe(choice?.text);
    const ids = await client.completions.create({ model: 'tiny', prompt: model.encode('The robot'), seed: 3, max_tokens: 20 });
    expect(ids.choices[0]?.text).toBe(choice?.text);
  });

  it('raises the SDK error classes, naming the parameter', async () => {
    const expectBad = async (body: Record<string, unknown>, param: string, status = 400): Promise<APIError> => {
      const error = await client.chat.completions.create({ model: 'tiny', messages, ...body } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(status === 404 ? OpenAI.NotFoundError : OpenAI.BadRequestError);
      const apiError = error as APIError;
      expect(apiError.status).toBe(status);
      expect(apiError.param).toBe(param);
      expect((apiError.error as { type?: string }).type).toBe('invalid_request_error');
      return apiError;
    };
    expect((await expectBad({ temperature: 3 }, 'temperature')).message).toContain('[0, 2]');
    await expectBad({ top_p: -0.1 }, 'top_p');
    await expectBad({ n: 0 }, 'n');
    await expectBad({ logprobs: true, top_logprobs: 21 }, 'top_logprobs');
    await expectBad({ top_logprobs: 2 }, 'top_logprobs');
    await expectBad({ seed: -1 }, 'seed');
    await expectBad({ max_tokens: 100000 }, 'max_tokens');
    await expectBad({ logit_bias: { 99999: 5 } }, 'logit_bias');
    await expectBad({ topk: 3 }, 'topk');
    await expectBad({ chain: [{ no_such_sampler: 1 }] }, 'chain');
    await expectBad({ chain: [{ top_k: 3 }], temperature: 0.5 }, 'chain');
    expect((await expectBad({ min_p: 2 }, 'min_p')).message).toContain('2');
    await expectBad({ messages: [] }, 'messages');
    await expectBad({ messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].role');
    await expectBad({ tools: [{ type: 'function', function: { name: 'f' } }] }, 'tools');
    await expectBad({ model: 'gpt-4o' }, 'model', 404);
  });

  it('answers malformed JSON, a non-object body and a huge body with the OpenAI error shape', async () => {
    const post = (body: string) => fetchWithTimeout(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const malformed = await post('{"model": "tiny", "messages": [');
    expect(malformed.status).toBe(400);
    const malformedBody = (await malformed.json()) as { error: { type: string; message: string } };
    expect(malformedBody.error.type).toBe('invalid_request_error');
    expect(malformedBody.error.message).toContain('JSON');
    expect((await post('[1,2]')).status).toBe(400);
    const huge = await post(' '.repeat(2 * 1024 * 1024));
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: { message: string } }).error.message).toContain('1048576');
    const missing = await fetchWithTimeout(`${url}/v1/nothing`);
    expect(missing.status).toBe(404);
    const wrongMethod = await fetchWithTimeout(`${url}/v1/chat/completions`);
    expect(wrongMethod.status).toBe(405);
    // still serving
    const ok = await client.chat.completions.create({ model: 'tiny', messages, max_tokens: 3, seed: 1 });
    expect(ok.choices).toHaveLength(1);
  });

  it('answers concurrent requests each as if alone', async () => {
    const seeds = Array.from({ length: 24 }, (_, index) => index);
    const ask = (seed: number, stream: boolean) =>
      stream
        ? (async () => {
            let text = '';
            for await (const chunk of await client.chat.completions.create({ model: 'tiny', messages, seed, max_tokens: 25, stream: true })) text += chunk.choices[0]?.delta.content ?? '';
            return text;
          })()
        : client.chat.completions.create({ model: 'tiny', messages, seed, max_tokens: 25 }).then((answer) => answer.choices[0]?.message.content ?? '');
    const sequential: string[] = [];
    for (const seed of seeds) sequential.push(await ask(seed, false));
    const concurrent = await Promise.all(seeds.map((seed) => ask(seed, seed % 2 === 0)));
    expect(concurrent).toEqual(sequential);
  });
});
