import Anthropic, { APIError } from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KnobsServer } from '../../src/server/server.js';
import { fetchWithTimeout, model, startServer } from './harness.js';

let serve: KnobsServer;
let url: string;
let client: Anthropic;

beforeAll(async () => {
  ({ serve, url } = await startServer());
  client = new Anthropic({ baseURL: url, apiKey: 'unused', maxRetries: 0, timeout: 10_000 });
});
afterAll(async () => {
  await serve.close(1000);
});

type Params = Anthropic.MessageCreateParamsNonStreaming;
const base = { model: 'tiny', max_tokens: 40, messages: [{ role: 'user' as const, content: 'What did the robot feel?' }] };

describe('knobs serve with the official @anthropic-ai/sdk client', () => {
  it('answers a message, the same for the same seed, and the same text as the OpenAI route', async () => {
    const ask = (seed: number) => client.messages.create({ ...base, temperature: 0.9, top_k: 20, seed } as Params);
    const [a, b] = await Promise.all([ask(4), ask(4)]);
    expect(a.type).toBe('message');
    expect(a.role).toBe('assistant');
    const text = a.content[0]?.type === 'text' ? a.content[0].text : undefined;
    expect(text).toBeDefined();
    expect(b.content).toEqual(a.content);
    expect(['end_turn', 'max_tokens']).toContain(a.stop_reason);
    expect(a.usage.input_tokens).toBeGreaterThan(0);
    const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0, timeout: 10_000 });
    const chat = await openai.chat.completions.create({ model: 'tiny', max_tokens: 40, messages: base.messages, temperature: 0.9, top_k: 20, seed: 4 } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    expect(chat.choices[0]?.message.content).toBe(text);
  });

  it('streams the documented event sequence, adding up to the same text', async () => {
    const request = { ...base, seed: 8, system: 'Be brief.' } as Params;
    const whole = await client.messages.create(request);
    const raw = await client.messages.create({ ...request, stream: true });
    const types: string[] = [];
    let text = '';
    for await (const event of raw) {
      types.push(event.type);
      if (types.length > 10_000) throw new Error('runaway stream');
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
    }
    expect(types[0]).toBe('message_start');
    expect(types[1]).toBe('content_block_start');
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(types.filter((type) => type === 'content_block_delta').length).toBeGreaterThan(0);
    expect(text).toBe(whole.content[0]?.type === 'text' ? whole.content[0].text : '');
    const helper = client.messages.stream(request);
    const final = await helper.finalMessage();
    expect(final.content).toEqual(whole.content);
    expect(final.stop_reason).toBe(whole.stop_reason);
    expect(final.usage.output_tokens).toBe(whole.usage.output_tokens);
  });

  it('reports stop_sequence and max_tokens', async () => {
    const free = await client.messages.create({ ...base, temperature: 0, max_tokens: 30 } as Params);
    const text = free.content[0]?.type === 'text' ? free.content[0].text : '';
    const stop = text.slice(4, 7);
    const stopped = await client.messages.create({ ...base, temperature: 0, max_tokens: 30, stop_sequences: [stop] } as Params);
    expect(stopped.stop_reason).toBe('stop_sequence');
    expect(stopped.stop_sequence).toBe(stop);
    expect(stopped.content[0]?.type === 'text' ? stopped.content[0].text : '').toBe(text.slice(0, text.indexOf(stop)));
    const short = await client.messages.create({ ...base, max_tokens: 1 } as Params);
    expect(short.stop_reason).toBe('max_tokens');
  });

  it('raises the SDK error classes with the Anthropic error shape', async () => {
    const expectBad = async (body: Record<string, unknown>, needle: string, status = 400): Promise<void> => {
      const error = await client.messages.create({ ...base, ...body } as unknown as Params).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(status === 404 ? Anthropic.NotFoundError : Anthropic.BadRequestError);
      const apiError = error as APIError;
      expect(apiError.status).toBe(status);
      expect((apiError.error as { type: string }).type).toBe('error');
      expect(apiError.type).toBe(status === 404 ? 'not_found_error' : 'invalid_request_error');
      expect(apiError.message).toContain(needle);
    };
    await expectBad({ temperature: 1.5 }, 'temperature');
    await expectBad({ top_k: -1 }, 'top_k');
    await expectBad({ max_tokens: undefined }, 'max_tokens');
    await expectBad({ messages: [{ role: 'system', content: 'x' }] }, 'messages.0.role');
    await expectBad({ n: 2 }, 'n: Extra inputs are not permitted');
    await expectBad({ thinking: { type: 'enabled', budget_tokens: 1024 } }, 'thinking');
    await expectBad({ model: 'claude-haiku-4-5' }, 'claude-haiku-4-5', 404);
    const malformed = await fetchWithTimeout(`${url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: '{"model": ' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });

  it('lists models in the Anthropic shape and counts tokens with the model tokenizer', async () => {
    const page = await client.models.list();
    expect(page.data.map((entry) => entry.id)).toEqual(['tiny']);
    const counted = await client.messages.countTokens({ model: 'tiny', messages: base.messages, system: 'Be brief.' });
    expect(counted.input_tokens).toBe(model.encode('System: Be brief.\n\nUser: What did the robot feel?\n\nAssistant:').length);
  });
});
