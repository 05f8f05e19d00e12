import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { loadLlama, type LlamaContextHandle, type LlamaModelHandle } from '../../src/models/ggufRuntime.js';
import { ggufEnvironment, TEST_SETTINGS, type GgufEnvironment } from '../gguf/ggufEnvironment.js';
import { buildTinyLlama, writeTinyLlama } from '../gguf/tinyLlama.js';

type Adapter = typeof import('../../src/adapters/nodeLlamaCpp.js');

const bin = fileURLToPath(new URL('../../bin/knobs.js', import.meta.url));
const built = existsSync(fileURLToPath(new URL('../../dist/models/ggufModel.js', import.meta.url)));
const directory = mkdtempSync(join(tmpdir(), 'knobs-node-llama-cpp-'));
const tiny = buildTinyLlama({ tokenizer: 'bpe' });
const path = writeTinyLlama(directory, tiny);
let environment: GgufEnvironment;
let adapter: Adapter;
/** The caller's own node-llama-cpp objects, made with node-llama-cpp itself. */
let model: LlamaModelHandle;
let context: LlamaContextHandle;

beforeAll(async () => {
  environment = await ggufEnvironment();
  if (!environment.ok) return;
  adapter = await import('../../src/adapters/nodeLlamaCpp.js');
  const llama = await loadLlama(environment.runtime, TEST_SETTINGS);
  model = await llama.loadModel({ modelPath: path, gpuLayers: 0 });
  context = await model.createContext({ contextSize: 256, sequences: 2, threads: 1 });
});
afterAll(async () => {
  await context?.dispose();
  await model?.dispose();
  rmSync(directory, { recursive: true, force: true });
});

function needs(context: TestContext, cli = false): void {
  if (!environment.ok) context.skip(environment.reason);
  if (cli && !built) context.skip('dist/ is not built (npm run build)');
}

/** `knobs generate --model gguf:PATH ... --n N --json`: the tokens of each completion (completion i has seed + i). */
function cliTokens(prompt: string, chain: string, seed: number, maxTokens: number, n = 1): number[][] {
  const result = spawnSync(process.execPath, [bin, 'generate', '--model', `gguf:${path}`, prompt, chain, '--seed', String(seed), '--n', String(n), '--max-tokens', String(maxTokens), '--json'], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', KNOBS_GGUF_THREADS: '1', KNOBS_GGUF_GPU: 'cpu' },
    timeout: 120_000,
  });
  expect(result.status, result.stderr).toBe(0);
  return (JSON.parse(result.stdout).completions as { tokens: number[] }[]).map((completion) => completion.tokens);
}

const CHAIN = 'penalties={"repeat":1.2,"presence":0.3},top_k=30,top_p=0.9,temperature=1.3';

describe('creativity-knobs/node-llama-cpp', () => {
  it('on a LlamaContextSequence of the caller: the same tokens as knobs generate --model gguf:PATH for the same seed', async (context_) => {
    needs(context_, true);
    const sequence = context.getSequence();
    const cli = cliTokens('the cat is on the', CHAIN, 5, 16, 2);
    for (const seed of [5, 6]) {
      const expected = cli[seed - 5] as number[];
      const result = await adapter.generateWithKnobs(sequence as never, 'the cat is on the', CHAIN, { seed, maxTokens: 16 });
      expect(result.tokens).toEqual(expected);
      expect(result.promptTokens.map((token) => tiny.tokens[token])).toEqual(['t', 'he', 'Ġcat', 'Ġis', 'Ġon', 'Ġthe']);
      expect(result.finishReason).toBe(expected.length === 16 ? 'length' : 'stop');
    }
    // the caller's sequence is left alive, its cache holding the last generation's context
    expect(sequence.contextTokens.length).toBeGreaterThan(6);
    const again = await adapter.generateWithKnobs(sequence as never, 'the cat is on the', CHAIN, { seed: 5, maxTokens: 16 });
    expect(again.tokens).toEqual(cli[0]);
    expect(cli[0]).not.toEqual(cli[1]);
  });

  it('on a LlamaModel: a context is made for the call and freed; prompts may be token ids', async (context_) => {
    needs(context_, true);
    const ids = model.tokenize('the dog', true);
    const result = await adapter.generateWithKnobs(model as never, ids, 'min_p=0.02,temperature=0.9', { seed: 3, maxTokens: 12, contextSize: 128, threads: 1 });
    expect(result.tokens).toEqual(cliTokens('the dog', 'min_p=0.02,temperature=0.9', 3, 12)[0]);
    expect(result.promptTokens).toEqual(ids);
  });

  it('stops at a stop string (text cut before it), streams tokens, and rejects when aborted', async (context_) => {
    needs(context_);
    const sequence = context.getSequence();
    const full = await adapter.generateWithKnobs(sequence as never, 'the cat', 'temperature=1', { seed: 11, maxTokens: 30 });
    expect(full.text.length).toBeGreaterThan(6);
    const stop = full.text.slice(4, 6);
    const streamed: number[] = [];
    const cut = await adapter.generateWithKnobs(sequence as never, 'the cat', 'temperature=1', { seed: 11, maxTokens: 30, stop: ['\u0000never', stop], onToken: (token) => streamed.push(token) });
    expect(cut.text).toBe(full.text.slice(0, full.text.indexOf(stop)));
    expect(cut.finishReason).toBe('stop');
    expect(cut.stopSequence).toBe(stop);
    expect(cut.tokens).toEqual(full.tokens.slice(0, cut.tokens.length));
    expect(streamed).toEqual(cut.tokens);
    const controller = new AbortController();
    const aborted = adapter.generateWithKnobs(sequence as never, 'the cat', 'temperature=1', {
      seed: 11,
      maxTokens: 30,
      signal: controller.signal,
      onToken: () => controller.abort(new Error('enough')),
    });
    await expect(aborted).rejects.toThrow('enough');
  });

  it('refuses what is neither a sequence nor a model', async (context_) => {
    needs(context_);
    await expect(adapter.generateWithKnobs({} as never, 'the', 'temperature=1')).rejects.toThrow(/a node-llama-cpp LlamaContextSequence/);
  });
});
