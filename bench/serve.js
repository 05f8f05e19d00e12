#!/usr/bin/env node
// Load test of `knobs serve`: N requests (default 500) at concurrency C (default 20), sent
// with the official openai and @anthropic-ai/sdk clients, mixing chat completions (plain and
// streaming), legacy completions and Anthropic messages (plain and streaming). Reports
// throughput and latency percentiles; exits 1 if any request failed.
//
//   node bench/serve.js [--requests 500] [--concurrency 20] [--max-tokens 16]
//                       [--model embedded] [--chain top_k=40,temperature=0.8]
//                       [--url http://127.0.0.1:8765] [--in-process] [--json]
//
// By default it starts `knobs serve --port 0` as a child process (the real command) and stops
// it with SIGINT at the end; --url benchmarks a server that is already running; --in-process
// runs the server in this process (from ../dist/index.js).
import { spawn } from 'node:child_process';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { modelCatalog, openModel } from '../dist/models/index.js';
import { createKnobsServer } from '../dist/server/index.js';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 && index + 1 < args.length ? args[index + 1] : fallback;
};
const requests = Number(flag('requests', '500'));
const concurrency = Number(flag('concurrency', '20'));
const maxTokens = Number(flag('max-tokens', '16'));
const modelName = flag('model', 'embedded');
const chain = flag('chain', 'top_k=40,temperature=0.8');
const json = args.includes('--json');
const deadline = setTimeout(() => {
  process.stderr.write('bench:serve: gave up after 20 minutes\n');
  process.exit(2);
}, 20 * 60_000);
deadline.unref();

async function startChild() {
  const child = spawn(process.execPath, ['bin/knobs.js', 'serve', '--port', '0', '--quiet', '--model', modelName], {
    cwd: new URL('..', import.meta.url),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('knobs serve did not start within 5 minutes')), 5 * 60_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve(out.split('\n')[0].trim());
      }
    });
    child.once('exit', (code) => reject(new Error(`knobs serve exited with ${code}`)));
  });
  return {
    url,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      return exited;
    },
  };
}

async function startInProcess() {
  const model = await openModel(modelName);
  const serve = createKnobsServer({ catalog: modelCatalog({ [modelName]: model }), port: 0 });
  const { url } = await serve.listen();
  return { url, stop: async () => (await serve.close(), 0) };
}

const given = flag('url', undefined);
const server = given ? { url: given, stop: async () => 0 } : args.includes('--in-process') ? await startInProcess() : await startChild();
const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: process.env.KNOBS_BENCH_KEY ?? 'unused', maxRetries: 0, timeout: 120_000 });
const anthropic = new Anthropic({ baseURL: server.url, apiKey: process.env.KNOBS_BENCH_KEY ?? 'unused', maxRetries: 0, timeout: 120_000 });
const messages = [{ role: 'user', content: 'Tell me about the weather in the city.' }];

const kinds = ['chat', 'chat-stream', 'completion', 'messages', 'messages-stream'];
async function one(index) {
  const kind = kinds[index % kinds.length];
  const seed = index;
  if (kind === 'chat') {
    const answer = await openai.chat.completions.create({ model: modelName, messages, max_tokens: maxTokens, seed, chain });
    return answer.usage.completion_tokens;
  }
  if (kind === 'chat-stream') {
    let tokens = 0;
    const stream = await openai.chat.completions.create({ model: modelName, messages, max_tokens: maxTokens, seed, chain, stream: true, stream_options: { include_usage: true } });
    for await (const chunk of stream) if (chunk.usage) tokens = chunk.usage.completion_tokens;
    return tokens;
  }
  if (kind === 'completion') {
    const answer = await openai.completions.create({ model: modelName, prompt: 'The weather in the city', max_tokens: maxTokens, seed, chain });
    return answer.usage.completion_tokens;
  }
  if (kind === 'messages') {
    const answer = await anthropic.messages.create({ model: modelName, max_tokens: maxTokens, messages, seed, chain });
    return answer.usage.output_tokens;
  }
  const stream = anthropic.messages.stream({ model: modelName, max_tokens: maxTokens, messages, seed, chain });
  return (await stream.finalMessage()).usage.output_tokens;
}

const latencies = [];
const errors = [];
let next = 0;
let tokens = 0;
const started = performance.now();
async function worker() {
  while (next < requests) {
    const index = next++;
    const start = performance.now();
    try {
      const generated = await one(index);
      tokens += generated;
      latencies.push(performance.now() - start);
    } catch (error) {
      errors.push(`${kinds[index % kinds.length]} #${index}: ${error.message}`);
    }
  }
}
await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, worker));
const seconds = (performance.now() - started) / 1000;
const exitCode = await server.stop();
latencies.sort((a, b) => a - b);
const quantile = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
const result = {
  benchmark: 'knobs serve',
  model: modelName,
  chain,
  requests,
  concurrency,
  max_tokens: maxTokens,
  ok: latencies.length,
  errors: errors.length,
  seconds: Number(seconds.toFixed(2)),
  requests_per_second: Number((latencies.length / seconds).toFixed(2)),
  tokens_per_second: Number((tokens / seconds).toFixed(1)),
  p50_ms: Number(quantile(0.5).toFixed(1)),
  p99_ms: Number(quantile(0.99).toFixed(1)),
  max_ms: Number((latencies[latencies.length - 1] ?? NaN).toFixed(1)),
  server_exit_code: exitCode,
};
if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  process.stdout.write(
    `knobs serve (${modelName}, ${chain}, max_tokens ${maxTokens}): ${result.ok}/${requests} ok at concurrency ${concurrency} in ${result.seconds} s\n` +
      `  throughput ${result.requests_per_second} requests/s, ${result.tokens_per_second} tokens/s\n` +
      `  latency p50 ${result.p50_ms} ms, p99 ${result.p99_ms} ms, max ${result.max_ms} ms\n` +
      `  errors ${errors.length}${errors.length ? `: ${errors.slice(0, 5).join('; ')}` : ''}\n`,
  );
}
process.exitCode = errors.length === 0 && (exitCode === 0 || exitCode === null) ? 0 : 1;
