/**
 * The examples of the README's "Use it inside your runtime" run as they are written, on the
 * built package imported by name, in a fresh Node process: only their `const MODEL = ...`
 * (or `BASE_URL`) line is pointed at the tests' tiny models and at `knobs serve` on
 * 127.0.0.1. web-llm's needs WebGPU: it is only checked to parse.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { modelCatalog } from '../../src/models/catalog.js';
import type { KnobsServer } from '../../src/server/server.js';
import { buildTinyLlama, writeTinyLlama } from '../gguf/tinyLlama.js';
import { model as tinyModel, startServer } from '../server/harness.js';
import { writeTinyDecoder } from './tinyDecoder.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const built = existsSync(join(root, 'dist/adapters/aiSdk.js'));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Use it inside your runtime'), readme.indexOf('## Layout'));
const examples = [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((match) => match[1] as string);
const directory = mkdtempSync(join(tmpdir(), 'knobs-readme-'));
let serve: KnobsServer | undefined;
let serverUrl = '';

/** The example that imports `creativity-knobs/<adapter>`. */
function example(adapter: string): string {
  const found = examples.find((code) => code.includes(`from 'creativity-knobs/${adapter}'`));
  if (!found) throw new Error(`the README has no example for creativity-knobs/${adapter}`);
  return found;
}

/** Where a bare specifier resolves from the project, or undefined when it is not installed. */
function installed(name: string): string | undefined {
  const path = join(root, 'node_modules', name);
  return existsSync(path) ? realpathSync(path) : undefined;
}

beforeAll(async () => {
  // a folder where the examples import the package by its name, and its runtimes, as a user's project would
  const modules = join(directory, 'node_modules');
  mkdirSync(modules);
  symlinkSync(root, join(modules, 'creativity-knobs'));
  for (const name of ['@huggingface/transformers', 'onnxruntime-node', 'node-llama-cpp', 'ai', '@ai-sdk/openai-compatible']) {
    const target = installed(name);
    if (!target) continue;
    mkdirSync(dirname(join(modules, name)), { recursive: true });
    symlinkSync(target, join(modules, name));
  }
  writeTinyDecoder(directory, 'tiny-bigram');
  writeTinyLlama(directory, buildTinyLlama({ tokenizer: 'bpe' }), 'tiny.gguf');
  const started = await startServer({ catalog: modelCatalog({ 'Qwen/Qwen2.5-0.5B-Instruct': tinyModel }) });
  serve = started.serve;
  serverUrl = started.url;
});
afterAll(async () => {
  await serve?.close(1000);
  rmSync(directory, { recursive: true, force: true });
});

/**
 * Runs an example with Node, its MODEL / BASE_URL line replaced (and the exact pieces of
 * `edits`); resolves to its exit status and output.
 */
function run(code: string, name: string, replacements: Record<string, string>, edits: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  let source = code;
  for (const [from, to] of Object.entries(edits)) {
    expect(source).toContain(from);
    source = source.replace(from, to);
  }
  for (const [constant, value] of Object.entries(replacements)) {
    const line = new RegExp(`^const ${constant} = '[^']*';`, 'm');
    expect(source, `the example sets ${constant} on a line of its own`).toMatch(line);
    source = source.replace(line, `const ${constant} = ${JSON.stringify(value)};`);
  }
  const file = join(directory, `${name}.mjs`);
  writeFileSync(file, source);
  return new Promise((resolve) => {
    // node-llama-cpp: its CPU binary only, never a download or a build
    const child = spawn(process.execPath, [file], { cwd: directory, env: { ...process.env, CI: 'true', NODE_LLAMA_CPP_GPU: 'false', NODE_LLAMA_CPP_SKIP_DOWNLOAD: 'true' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

function needs(context: TestContext, ...runtimes: string[]): void {
  if (!built) context.skip('dist/ is not built (npm run build)');
  for (const runtime of runtimes) if (!installed(runtime)) context.skip(`${runtime} is not installed (CI installs it: see .ci/run)`);
}

describe('the README examples of the adapters run', () => {
  it('there is one per adapter', () => {
    for (const adapter of ['transformers', 'onnx', 'node-llama-cpp', 'ai-sdk', 'web-llm']) expect(example(adapter)).toContain('creativity-knobs');
  });

  it('transformers.js: knobsGenerate on a model folder', async (context) => {
    needs(context, '@huggingface/transformers');
    const result = await run(example('transformers'), 'transformers', { MODEL: join(directory, 'tiny-bigram') });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim()).toMatch(/^the cat sat( [a-z]+){20}$/);
  });

  it('ONNX Runtime: the generation loop over a session, float16 logits', async (context) => {
    needs(context, 'onnxruntime-node', '@huggingface/transformers');
    const result = await run(example('onnx'), 'onnx', { MODEL: join(directory, 'tiny-bigram') });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim()).toMatch(/^[a-z]+( [a-z]+){19}$/);
  });

  it('node-llama-cpp: generateWithKnobs on a context sequence', async (context) => {
    needs(context, 'node-llama-cpp');
    // one llama.cpp thread: on a busy 2-core machine its spinning threads would take minutes
    const result = await run(example('node-llama-cpp'), 'node-llama-cpp', { MODEL: join(directory, 'tiny.gguf') }, { 'createContext({ contextSize: 2048 })': 'createContext({ contextSize: 2048, threads: 1 })' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/(stop|length)\n$/);
  });

  it('AI SDK: the middleware through @ai-sdk/openai-compatible, here against knobs serve', async (context) => {
    needs(context, 'ai', '@ai-sdk/openai-compatible');
    const result = await run(example('ai-sdk'), 'ai-sdk', { BASE_URL: `${serverUrl}/v1` });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('creativity-knobs: typical_p = 0.95 of the chain is not applied: openai-compatible:vllm (Qwen/Qwen2.5-0.5B-Instruct) has no typical_p');
  });

  it('web-llm (WebGPU, not here): the example parses', () => {
    const file = join(directory, 'web-llm.mjs');
    writeFileSync(file, example('web-llm'));
    const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
  });
});
