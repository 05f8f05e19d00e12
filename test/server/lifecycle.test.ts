import Anthropic from '@anthropic-ai/sdk';
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import OpenAI, { AuthenticationError } from 'openai';
import { describe, expect, it } from 'vitest';
import type { LanguageModel } from '../../src/models/languageModel.js';
import { modelCatalog } from '../../src/models/catalog.js';
import { runUntilSignal } from '../../src/server/runUntilSignal.js';
import { createKnobsServer } from '../../src/server/server.js';
import { bounded, fetchWithTimeout, model, startServer } from './harness.js';

const messages = [{ role: 'user' as const, content: 'What did the robot feel?' }];

/** The test model, answering each step after `ms` milliseconds (a slow model, to keep requests in flight). */
function slowModel(ms: number): LanguageModel {
  return { ...model, id: 'test:slow', nextLogits: async (context, out) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return model.nextLogits(context, out);
  } };
}

describe('auth', () => {
  it('refuses a non-loopback address without a key', () => {
    expect(() => createKnobsServer({ catalog: modelCatalog({ tiny: model }), host: '0.0.0.0' })).toThrow(/--host = "0.0.0.0" is out of range.*--auth-key-env/);
    expect(() => createKnobsServer({ catalog: modelCatalog({ tiny: model }), host: '0.0.0.0', authKey: 'k' })).not.toThrow();
  });

  it('with a key, every request must present it (Bearer or x-api-key) or get 401', async () => {
    const secret = 'serve-secret-4242';
    const lines: string[] = [];
    const { serve, url } = await startServer({ authKey: secret, log: (line) => lines.push(line) });
    try {
      const anonymous = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'wrong', maxRetries: 0, timeout: 10_000 });
      await expect(anonymous.chat.completions.create({ model: 'tiny', messages, max_tokens: 3 })).rejects.toBeInstanceOf(AuthenticationError);
      const keyed = new OpenAI({ baseURL: `${url}/v1`, apiKey: secret, maxRetries: 0, timeout: 10_000 });
      expect((await keyed.chat.completions.create({ model: 'tiny', messages, max_tokens: 3, seed: 1 })).choices).toHaveLength(1);
      const claude = new Anthropic({ baseURL: url, apiKey: secret, maxRetries: 0, timeout: 10_000 });
      expect((await claude.messages.create({ model: 'tiny', max_tokens: 3, messages })).type).toBe('message');
      const claudeWrong = new Anthropic({ baseURL: url, apiKey: 'nope', maxRetries: 0, timeout: 10_000 });
      await expect(claudeWrong.messages.create({ model: 'tiny', max_tokens: 3, messages })).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
      const viaHeader = await fetchWithTimeout(`${url}/v1/models`, { headers: { 'x-api-key': secret } });
      expect(viaHeader.status).toBe(200);
      const none = await fetchWithTimeout(`${url}/health`);
      expect(none.status).toBe(401);
      expect(((await none.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
      const anthropicShape = await fetchWithTimeout(`${url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': 'bad' }, body: '{}' });
      expect(await anthropicShape.json()).toEqual({ type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } });
      expect(lines.join('\n')).not.toContain(secret);
      expect(lines.some((line) => line.startsWith('POST /v1/chat/completions 401'))).toBe(true);
    } finally {
      await serve.close(1000);
    }
  });
});

describe('shutdown', () => {
  it('lets requests in flight finish, then refuses new connections', async () => {
    const slow = slowModel(5);
    const serve = createKnobsServer({ catalog: modelCatalog({ slow }), port: 0 });
    const { url } = await serve.listen();
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0, timeout: 10_000 });
    const inFlight = client.chat.completions.create({ model: 'slow', messages, max_tokens: 20, seed: 3 });
    for (let waited = 0; serve.active === 0 && waited < 2000; waited += 5) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(serve.active).toBe(1);
    await serve.close(5000);
    const answer = await inFlight;
    expect(answer.usage?.completion_tokens).toBe(20);
    await expect(fetchWithTimeout(`${url}/health`, {}, 2000)).rejects.toThrow();
  });

  it('stops generating when the client goes away', async () => {
    const slow = slowModel(10);
    const serve = createKnobsServer({ catalog: modelCatalog({ slow }), port: 0 });
    const { url } = await serve.listen();
    try {
      const body = JSON.stringify({ model: 'slow', messages, max_tokens: 4000, stream: true });
      const chunks = await bounded(
        new Promise<number>((resolve, reject) => {
          const request = httpRequest(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
            let count = 0;
            response.on('data', () => {
              if (++count === 3) {
                request.destroy();
                resolve(count);
              }
            });
          });
          request.on('error', (error) => (request.destroyed ? undefined : reject(error)));
          request.end(body);
        }),
        10_000,
        'three chunks',
      );
      expect(chunks).toBe(3);
      for (let waited = 0; serve.active > 0 && waited < 3000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(serve.active).toBe(0);
    } finally {
      await bounded(serve.close(1000), 10_000, 'close');
    }
  });

  it('aborts what is still running after the grace period, and stops on SIGTERM', async () => {
    const slow = slowModel(20);
    const serve = createKnobsServer({ catalog: modelCatalog({ slow }), port: 0 });
    const { url } = await serve.listen();
    const stopped = runUntilSignal(serve, { graceMs: 100, signals: ['SIGTERM'] });
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0, timeout: 10_000 });
    const stream = await client.chat.completions.create({ model: 'slow', messages, max_tokens: 4000, stream: true });
    const started = performance.now();
    process.kill(process.pid, 'SIGTERM');
    let pieces = 0;
    const reading = (async () => {
      for await (const _chunk of stream) if (++pieces > 5000) break;
    })();
    await expect(bounded(stopped, 10_000, 'stopping on SIGTERM')).resolves.toBe('SIGTERM');
    await bounded(reading.catch(() => undefined), 10_000, 'the stream ending after shutdown');
    expect(performance.now() - started).toBeLessThan(3000);
    expect(pieces).toBeLessThan(4000);
    expect(process.listenerCount('SIGTERM')).toBe(0);
  });
});

const root = new URL('../..', import.meta.url);
const execPath = process.execPath;
const built = existsSync(new URL('dist/cli/main.js', root));

describe.skipIf(!built)('knobs serve (the command, on the embedded model)', () => {
  it('answers both SDKs, then exits 0 on SIGINT', async () => {
    const child = spawn(execPath, ['bin/knobs.js', 'serve', '--port', '0', '--model', 'embedded:brown-kn2', '--quiet'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL within 110 s: ${stderr}`)), 110_000);
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          const line = stdout.split('\n')[0] ?? '';
          if (stdout.includes('\n')) {
            clearTimeout(timer);
            resolve(line.trim());
          }
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0, timeout: 30_000 });
      const models = await openai.models.list();
      expect(models.data.map((entry) => entry.id)).toEqual(['embedded:brown-kn2']);
      const chat = await openai.chat.completions.create({ model: 'embedded:brown-kn2', messages: [{ role: 'user', content: 'The weather' }], seed: 1, max_tokens: 8, logprobs: true, top_logprobs: 2 });
      expect(chat.usage?.completion_tokens).toBeGreaterThan(0);
      expect(chat.choices[0]?.logprobs?.content?.[0]?.top_logprobs).toHaveLength(2);
      const claude = new Anthropic({ baseURL: url, apiKey: 'unused', maxRetries: 0, timeout: 30_000 });
      let text = '';
      for await (const event of await claude.messages.create({ model: 'embedded:brown-kn2', max_tokens: 8, messages: [{ role: 'user', content: 'The weather' }], stream: true })) {
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
      }
      expect(text.length).toBeGreaterThan(0);
      // the server's log-probabilities are the distribution `knobs next` shows for the same context
      const prompt = 'The weather today is';
      const completion = await openai.completions.create({ model: 'embedded:brown-kn2', prompt, max_tokens: 1, logprobs: 5, seed: 2 });
      const top = completion.choices[0]?.logprobs?.top_logprobs?.[0] ?? {};
      const next = await new Promise<string>((resolve, reject) => {
        const process = spawn(execPath, ['bin/knobs.js', 'next', prompt, '--model', 'embedded:brown-kn2', '--json'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
        let out = '';
        process.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        const timer = setTimeout(() => reject(new Error('knobs next took over 60 s')), 60_000);
        process.once('exit', () => {
          clearTimeout(timer);
          resolve(out);
        });
      });
      const shown = JSON.parse(next) as { before: number[]; tokens: string[] };
      const best = [...shown.before.keys()].sort((a, b) => (shown.before[b] as number) - (shown.before[a] as number) || a - b).slice(0, 5);
      expect(Object.keys(top)).toEqual(best.map((id) => shown.tokens[id]));
      for (const id of best) expect(top[shown.tokens[id] as string]).toBeCloseTo(Math.log(shown.before[id] as number), 5);
      const started = performance.now();
      child.kill('SIGINT');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
      expect(performance.now() - started).toBeLessThan(5000);
      expect(stderr).toContain('knobs serve: stopped');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 180_000);
});
