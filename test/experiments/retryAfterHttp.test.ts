import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentSpec } from '../../src/experiments/experimentSpec.js';
import { providerFactory } from '../../src/experiments/providerFor.js';
import { runExperiment } from '../../src/experiments/runExperiment.js';

// A rate-limited OpenAI-compatible server on 127.0.0.1, reached through the real OpenAI SDK
// and the openai-compatible provider: the runner waits what Retry-After says, then succeeds.

let server: Server;
let baseUrl = '';
const arrivals: number[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      arrivals.push(performance.now());
      if (arrivals.length <= 2) {
        response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
        response.end(JSON.stringify({ error: { message: 'slow down', type: 'rate_limit_error' } }));
        return;
      }
      const prompt = (JSON.parse(body) as { prompt: string }).prompt;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'c1', object: 'text_completion', created: 1, model: 'm', choices: [{ index: 0, text: ` after ${prompt}`, logprobs: null, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(() => {
  server.close();
});

describe('Retry-After over HTTP', () => {
  it('a 429 with Retry-After: 1 is retried after one second, twice, and the row records 3 attempts', async () => {
    const spec = parseExperimentSpec({ prompt: 'x', providers: [{ provider: 'openai-compatible', model: 'm', base_url: baseUrl, concurrency: 1 }], logprobs: false });
    const retries: number[] = [];
    const result = await runExperiment(spec, { providerFor: providerFactory({ maxRetries: 0 }), onRetry: (_job, _attempt, delayMs) => retries.push(delayMs) });
    expect(retries).toEqual([1000, 1000]);
    expect(result.failures).toEqual([]);
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]).toMatchObject({ status: 'ok', text: ' after x', attempts: 3, usage: { prompt_tokens: 1, completion_tokens: 2 } });
    expect(arrivals).toHaveLength(3);
    expect((arrivals[1] as number) - (arrivals[0] as number)).toBeGreaterThanOrEqual(950);
    expect((arrivals[2] as number) - (arrivals[1] as number)).toBeGreaterThanOrEqual(950);
  }, 30_000);
});
