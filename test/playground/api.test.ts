import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelCatalog } from '../../src/models/catalog.js';
import { startPlayground, type RunningPlayground } from '../../src/playground/server.js';
import { toyModel } from './toyModel.js';

let playground: RunningPlayground;
let base: string;
const model = toyModel();

beforeAll(async () => {
  const staticDir = mkdtempSync(join(tmpdir(), 'knobs-playground-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>page</title>');
  mkdirSync(join(staticDir, 'assets'));
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'export {};');
  playground = await startPlayground({
    staticDir,
    version: '9.9.9',
    catalog: modelCatalog([{ id: 'toy', title: 'toy model', model: () => model }]),
    topLogprobs: async (_prompt, name) => ({ model: name, tokens: [' Paris', ' the'], logprobs: [-0.1, -2.5] }),
  });
  base = playground.url;
});

afterAll(async () => {
  await playground?.close();
});

const post = (path: string, body: unknown, type = 'application/json'): Promise<Response> =>
  fetch(new URL(path, base), { method: 'POST', headers: { 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('the playground JSON API', () => {
  it('listens on 127.0.0.1 and describes itself', async () => {
    expect(playground.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const info = await (await fetch(new URL('api/info', base))).json();
    expect(info).toEqual({ version: '9.9.9', models: [{ id: 'toy', title: 'toy model' }], engines: ['knobs', 'llama.cpp', 'hf', 'vllm', 'sglang', 'ollama', 'ollama-go', 'koboldcpp', 'exllamav2', 'transformers.js', 'node-llama-cpp'], openai: true });
    const described = await (await fetch(new URL('api/model?model=toy', base))).json();
    expect(described).toEqual({ id: 'toy', vocabSize: 12, stopTokens: [0] });
  });

  it('sends the full next-token logits as little-endian float32, -Infinity included', async () => {
    const context = [1, 2, 3];
    const response = await post('api/logits', { model: 'toy', context });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('x-vocab-size')).toBe('12');
    const bytes = new DataView(await response.arrayBuffer());
    expect(bytes.byteLength).toBe(48);
    const expected = model.nextLogits(context) as Float32Array;
    for (let i = 0; i < 12; i++) expect(bytes.getFloat32(i * 4, true)).toBe(expected[i]);
    expect(bytes.getFloat32(20, true)).toBe(-Infinity);
  });

  it('encodes, decodes and lists every token text', async () => {
    expect(await (await post('api/encode', { model: 'toy', text: 'the cat sat' })).json()).toEqual({ tokens: [1, 2, 3] });
    expect(await (await post('api/decode', { model: 'toy', tokens: [1, 2, 3, 10] })).json()).toEqual({ text: ' the cat sat.' });
    const vocab = await (await fetch(new URL('api/vocab?model=toy', base))).json();
    expect(vocab).toHaveLength(12);
    expect(vocab[2]).toBe(' cat');
  });

  it('answers bad requests with a message naming the value and the range', async () => {
    const unknown = await post('api/logits', { model: 'nope', context: [] });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error).toBe('model "nope" does not exist: expected one of toy');
    const outOfRange = await post('api/logits', { model: 'toy', context: [1, 12] });
    expect(outOfRange.status).toBe(400);
    expect((await outOfRange.json()).error).toBe('context[1] = 12 is out of range: expected an integer in [0, 12)');
    const notJson = await post('api/encode', '{oops');
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error).toMatch(/^request body is not valid JSON/);
    const plain = await post('api/encode', '{"model":"toy","text":"x"}', 'text/plain');
    expect(plain.status).toBe(415);
    expect((await plain.json()).error).toBe('Content-Type = "text/plain" is not accepted: expected application/json');
    const method = await fetch(new URL('api/logits', base));
    expect(method.status).toBe(405);
    const missing = await fetch(new URL('api/nothing', base));
    expect(missing.status).toBe(404);
  });

  it('serves OpenAI top log-probabilities through the source it was given', async () => {
    const result = await (await post('api/openai/top-logprobs', { prompt: 'The capital of France is', model: 'gpt-4o-mini' })).json();
    expect(result).toEqual({ model: 'gpt-4o-mini', tokens: [' Paris', ' the'], logprobs: [-0.1, -2.5] });
  });

  it('says how to enable OpenAI when the server has no key', async () => {
    const bare = await startPlayground({ catalog: modelCatalog([]), staticDir: tmpdir() });
    try {
      const response = await fetch(new URL('api/openai/top-logprobs', bare.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"prompt":"x"}' });
      expect(response.status).toBe(503);
      expect((await response.json()).error).toMatch(/OPENAI_API_KEY/);
      expect((await (await fetch(new URL('api/info', bare.url))).json()).openai).toBe(false);
    } finally {
      await bare.close();
    }
  });

  it('serves the page and its assets, and nothing outside them', async () => {
    const page = await fetch(base);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const asset = await fetch(new URL('assets/app.js', base));
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const status = await rawStatus('/..%2f..%2fetc%2fpasswd');
    expect(status).toBe(404);
    expect(await rawStatus('/../../etc/passwd')).toBe(404);
  });

  it('refuses other Host names (DNS rebinding)', async () => {
    expect(await rawStatus('/api/info', 'evil.example:80')).toBe(403);
    expect(await rawStatus('/api/info', `localhost:${playground.port}`)).toBe(200);
  });

  it('rejects a bad port with a clear message', async () => {
    await expect(startPlayground({ catalog: modelCatalog([]), port: 70000 })).rejects.toThrow('port = 70000 is out of range: expected an integer in [0, 65535]');
  });
});

/** The status of a request sent as written (fetch would normalise the path and the Host). */
function rawStatus(path: string, host = `127.0.0.1:${playground.port}`): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: playground.port, path, headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.end();
  });
}
