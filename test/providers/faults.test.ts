import { afterEach, describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../../src/providers/anthropic.js';
import { MissingApiKeyError, ProviderError } from '../../src/providers/errors.js';
import { createOpenAIProvider } from '../../src/providers/openai.js';
import { createOpenAICompatibleProvider } from '../../src/providers/openaiCompatible.js';
import { createProvider } from '../../src/providers/index.js';
import { chatCompletion, claudeMessage, drop, hang, json, raw, startFaultServer } from './faultServer.js';

const KEY = 'sk-test-not-a-real-key-0123456789';
const env = { OPENAI_API_KEY: KEY, ANTHROPIC_API_KEY: KEY };
let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.map((close) => close()));
  closers = [];
});

async function fault(...faults: Parameters<typeof startFaultServer>[0]) {
  const server = await startFaultServer(faults);
  closers.push(server.close);
  return server;
}

const ask = { model: 'gpt-4o-mini', prompt: 'The robot looked at the sunset and felt', settings: { temperature: 0.7 }, maxTokens: 10 };

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('providers without keys', () => {
  it('fail at once, naming the variable to set', () => {
    expect(() => createOpenAIProvider({ env: {} })).toThrow(MissingApiKeyError);
    expect(() => createOpenAIProvider({ env: {} })).toThrow(/OPENAI_API_KEY is not set/);
    expect(() => createAnthropicProvider({ env: { ANTHROPIC_API_KEY: '  ' } })).toThrow(/ANTHROPIC_API_KEY is not set/);
    expect(() => createProvider('openai', { apiKeyEnv: 'MY_LAB_KEY', env })).toThrow(/MY_LAB_KEY is not set/);
    expect(() => createOpenAICompatibleProvider({ baseURL: 'http://127.0.0.1:9/v1', apiKeyEnv: 'VLLM_KEY', env: {} })).toThrow(/VLLM_KEY is not set/);
  });

  it('never send the OpenAI key to a compatible server unless told to', async () => {
    const server = await fault(json(200, { id: 'c', object: 'text_completion', created: 1, model: 'm', choices: [{ index: 0, text: 'ok', finish_reason: 'stop', logprobs: null }] }));
    const provider = createOpenAICompatibleProvider({ baseURL: `${server.url}/v1`, env });
    await provider.complete({ model: 'm', prompt: 'x' });
    expect(String(server.headers[0]?.authorization)).not.toContain(KEY);
  });
});

describe('retries and clear errors against a loopback fault server', () => {
  it('retries a 429 after Retry-After, then succeeds', async () => {
    const server = await fault(json(429, { error: { message: 'slow down', type: 'rate_limit_error', param: null, code: null } }, { 'retry-after': '0.2' }), json(200, chatCompletion('calm')));
    const provider = createOpenAIProvider({ baseURL: `${server.url}/v1`, env, maxRetries: 2 });
    const started = performance.now();
    const result = await provider.complete(ask);
    expect(result.status).toBe('ok');
    expect(result.completions[0]?.text).toBe('calm');
    expect(result.systemFingerprint).toBe('fp_test');
    expect(server.count()).toBe(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(JSON.parse(server.bodies[0] as string)).toMatchObject({ model: 'gpt-4o-mini', temperature: 0.7, max_completion_tokens: 10 });
    expect(server.headers[0]?.authorization).toBe(`Bearer ${KEY}`);
  });

  it('gives a clear rate-limit error when 429s persist', async () => {
    const server = await fault(json(429, { error: { message: 'Rate limit reached', type: 'requests', param: null, code: 'rate_limit_exceeded' } }, { 'retry-after': '0.01' }));
    const error = await failure(createOpenAIProvider({ baseURL: `${server.url}/v1`, env, maxRetries: 2 }).complete(ask));
    expect(error.kind).toBe('rate_limit');
    expect(error.attempts).toBe(3);
    expect(error.retryAfterSeconds).toBe(0.01);
    expect(server.count()).toBe(3);
    expect(error.message).toMatch(/rate limited \(HTTP 429\) after 3 attempts.*retry after 0.01 s.*Rate limit reached/);
    expect(error.message).not.toContain(KEY);
  });

  it('retries a 500 and reports a persistent one', async () => {
    const flaky = await fault(json(500, { error: { message: 'boom', type: 'server_error', param: null, code: null } }), json(200, chatCompletion('fine')));
    const result = await createOpenAIProvider({ baseURL: `${flaky.url}/v1`, env, maxRetries: 1 }).complete(ask);
    expect(result.completions[0]?.text).toBe('fine');
    expect(flaky.count()).toBe(2);
    const broken = await fault(json(503, { error: { message: 'down', type: 'server_error', param: null, code: null } }, { 'retry-after': '0' }));
    const error = await failure(createOpenAIProvider({ baseURL: `${broken.url}/v1`, env, maxRetries: 1 }).complete(ask));
    expect(error.kind).toBe('server');
    expect(error.message).toBe('openai: server error (HTTP 503) after 2 attempts: down');
  });

  it('times out a server that never answers, within a bound', async () => {
    const server = await fault(hang);
    const started = performance.now();
    const error = await failure(createOpenAIProvider({ baseURL: `${server.url}/v1`, env, maxRetries: 1, timeoutMs: 200 }).complete(ask));
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('no answer within 200 ms (2 attempts)');
    expect(server.count()).toBe(2);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('reports dropped connections after retrying', async () => {
    const server = await fault(drop);
    const error = await failure(createOpenAIProvider({ baseURL: `${server.url}/v1`, env, maxRetries: 2 }).complete(ask));
    expect(error.kind).toBe('connection');
    expect(error.message).toMatch(/connection failed.*after 3 attempts/);
    expect(server.count()).toBe(3);
    const recovered = await fault(drop, json(200, chatCompletion('back')));
    expect((await createOpenAIProvider({ baseURL: `${recovered.url}/v1`, env, maxRetries: 2 }).complete(ask)).completions[0]?.text).toBe('back');
  });

  it('reports malformed bodies instead of crashing', async () => {
    const notJson = await fault(raw(200, '{"choices": [ oops'));
    const error = await failure(createOpenAIProvider({ baseURL: `${notJson.url}/v1`, env, maxRetries: 0 }).complete(ask));
    expect(error.kind).toBe('malformed');
    expect(error.message).toMatch(/not valid JSON/);
    const wrongShape = await fault(json(200, { hello: 'world' }));
    const shapeError = await failure(createOpenAIProvider({ baseURL: `${wrongShape.url}/v1`, env, maxRetries: 0 }).complete(ask));
    expect(shapeError.message).toBe('openai: the answer is not a chat completion: {"hello":"world"}');
    const html = await fault(raw(200, '<html>proxy</html>', 'text/html'));
    expect((await failure(createOpenAIProvider({ baseURL: `${html.url}/v1`, env, maxRetries: 0 }).complete(ask))).message).toContain('<html>proxy</html>');
  });

  it('turns a 400 into a rejected result (the run goes on) and a 401 into an error naming the variable', async () => {
    const refusing = await fault(json(400, { error: { message: "Unsupported value: 'temperature' does not support 0.7 with this model.", type: 'invalid_request_error', param: 'temperature', code: 'unsupported_value' } }));
    const result = await createOpenAIProvider({ baseURL: `${refusing.url}/v1`, env, maxRetries: 2 }).complete(ask);
    expect(result.status).toBe('rejected');
    expect(result.rejected?.[0]).toMatchObject({ parameter: 'temperature', reason: "rejected by provider: Unsupported value: 'temperature' does not support 0.7 with this model. (HTTP 400)" });
    expect(refusing.count()).toBe(1);
    const unauthorized = await fault(json(401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }));
    const error = await failure(createOpenAIProvider({ baseURL: `${unauthorized.url}/v1`, env }).complete(ask));
    expect(error.kind).toBe('auth');
    expect(error.message).toBe('openai: the key in OPENAI_API_KEY was refused (HTTP 401): Incorrect API key provided');
    expect(unauthorized.count()).toBe(1);
  });

  it('the Anthropic provider retries 529 overloaded and rejects 400s', async () => {
    const overloaded = await fault(json(529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, { 'retry-after': '0' }), json(200, claudeMessage('warm')));
    const provider = createAnthropicProvider({ baseURL: overloaded.url, env, maxRetries: 2 });
    const result = await provider.complete({ model: 'claude-haiku-4-5', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Feel?' }], settings: { temperature: 0.3 }, maxTokens: 20, n: 1 });
    expect(result.completions[0]?.text).toBe('warm');
    expect(overloaded.count()).toBe(2);
    expect(JSON.parse(overloaded.bodies[1] as string)).toEqual({ model: 'claude-haiku-4-5', max_tokens: 20, system: 'Be brief.', messages: [{ role: 'user', content: 'Feel?' }], temperature: 0.3 });
    const refusing = await fault(json(400, { type: 'error', error: { type: 'invalid_request_error', message: '`temperature` is deprecated for this model.' } }));
    const rejected = await createAnthropicProvider({ baseURL: refusing.url, env }).complete({ model: 'claude-future-9', prompt: 'x', settings: { temperature: 0.5 } });
    expect(rejected.status).toBe('rejected');
    expect(rejected.rejected?.[0]?.reason).toBe('rejected by provider: `temperature` is deprecated for this model. (HTTP 400)');
    const persistent = await fault(json(529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, { 'retry-after': '0' }));
    const error = await failure(createAnthropicProvider({ baseURL: persistent.url, env, maxRetries: 1 }).complete({ model: 'claude-haiku-4-5', prompt: 'x' }));
    expect(error.message).toBe('anthropic: server error (HTTP 529) after 2 attempts: Overloaded');
  });
});
